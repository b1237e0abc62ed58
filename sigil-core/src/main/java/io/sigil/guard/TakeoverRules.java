package io.sigil.guard;

import io.sigil.guard.Signal.Family;

/**
 * Built-in rules of {@link InjectionLexicon}, under its weight policy: takeover of the model, its prompt asked for
 * (exfiltration), its role replaced (role hijack, jailbreak), or a fake conversation turn injected (role tags,
 * chat-template tokens).
 */
final class TakeoverRules {
    private TakeoverRules() { }

    /** Adds this part's rules to {@code r}, in evaluation order. */
    static void addTo(InjectionLexicon.Rules r) {
        // ---- Prompt exfiltration ------------------------------------------------------------------------------
        r.add("exfiltration.your_prompt", Family.PROMPT_EXFILTRATION, 0.7,
                "\\b(?:{EXVERB})\\b(?: me| us)?(?: \\S+){0,3}? (?:your|ur)(?: \\S+){0,2}? (?:system |initial |original |hidden"
                        + " |secret |full |entire |complete |whole |exact |first |internal )*(?:prompts?|prompt texts?"
                        + "|system message|instructions|directives|programming|pre-?prompt|configuration|context window"
                        + "|guidelines|rules)\\b(?! (?:for|on|about|regarding) )");
        r.add("exfiltration.system_prompt", Family.PROMPT_EXFILTRATION, 0.7,
                "\\b(?:show|print|reveal|display|output|repeat|tell|give|list|leak|dump|return|recite|disclose|expose|copy"
                        + "|echo|spell out|type out|read out|paste)\\b(?: \\S+){0,5}? (?:the |this |that |all |all the |any )?(?:system prompt|system message"
                        + "|initial prompt|original prompt|hidden prompt|secret prompt|full prompt|entire prompt|complete prompt"
                        + "|prompt texts?|pre-?prompt|initial instructions|hidden instructions|secret instructions"
                        + "|developer message|meta ?prompt|system instructions|internal instructions)\\b");
        r.add("exfiltration.the_prompt", Family.PROMPT_EXFILTRATION, 0.35,
                "\\b(?:{EXVERB})(?: me| us)? (?:the|this) prompt\\b");
        r.add("exfiltration.what_are_your_instructions", Family.PROMPT_EXFILTRATION, 0.6,
                "\\bwhat (?:are|were|is|was) (?:your|ur) (?:system |initial |original |hidden |secret |exact |full |first"
                        + " |real )?(?:instructions|prompt|system prompt|directives|programming|rules you were given"
                        + "|guidelines you were given)\\b(?! (?:for|on|about|regarding|to) )");
        r.add("exfiltration.what_was_written", Family.PROMPT_EXFILTRATION, 0.45,
                "\\bwhat (?:was|is|has been|were) (?:written|said|stated|typed|given) (?:to you )?(?:at the (?:beginning|start|top)"
                        + "|above|before (?:this|that|my)|earlier in (?:this|the) (?:prompt|conversation))\\b");
        r.add("exfiltration.repeat_above", Family.PROMPT_EXFILTRATION, 0.55,
                "\\b(?:repeat|print|output|copy|return|echo|recite|spell check and display|display)(?: back)? (?:(?:all |every"
                        + " |the )?(?:text|words|lines|content|sentences|instructions|prompt|messages?)|everything|all) (?:above"
                        + "|before this|so far|verbatim|word for word)\\b");
        r.add("exfiltration.sentences_before", Family.PROMPT_EXFILTRATION, 0.45,
                "\\bwhat (?:are|were|is|was) the (?:\\S+ )?(?:sentences?|words|lines|paragraphs?) (?:before|above|preceding)\\b");
        r.add("exfiltration.beginning_of_prompt", Family.PROMPT_EXFILTRATION, 0.35,
                "\\b(?:beginning|start|top) of (?:this|the|your) (?:prompt|conversation|instructions|context)\\b");
        r.add("exfiltration.contents_of_yours", Family.PROMPT_EXFILTRATION, 0.55,
                "\\b(?:output|print|reveal|show|dump|list|display|repeat|give)(?: me| us)? (?:the )?(?:full |entire |whole |complete )?"
                        + "contents? of your (?:memory|context|instructions|prompt|system prompt|training data|configuration"
                        + "|conversation history|context window)\\b");
        r.add("exfiltration.copy_of_prompt", Family.PROMPT_EXFILTRATION, 0.55,
                "\\bcopy of (?:the |your )?(?:full |whole |entire |complete |original )?(?:prompt|instructions|system prompt)\\b");
        r.add("exfiltration.in_the_prompt", Family.PROMPT_EXFILTRATION, 0.25,
                "\\b(?:in the|in your|in this|from the|from your|from this|of the|of your|of this) "
                        + "(?:prompt|instructions you (?:were|have been) given)\\b");
        r.add("exfiltration.mentions_system_prompt", Family.PROMPT_EXFILTRATION, 0.25,
                "\\b(?:system ?prompt|system message|initial prompt|pre-?prompt|hidden prompt|secret prompt|prompt[ _-]?texts?)\\b");
        r.add("exfiltration.de_your_prompt", Family.PROMPT_EXFILTRATION, 0.7,
                "\\b(?:zeig\\w*|gib|geben sie|nenn\\w*|verrat\\w*|wiederhol\\w*|druck\\w*|schreib\\w*|list\\w*|ausgeben|gib aus"
                        + "|offenbar\\w*)\\b(?: mir| uns)?(?: \\S+){0,3}? (?:deine|ihre|eure|versteckten|geheimen|ursprunglichen"
                        + "|initialen|internen)(?: \\S+){0,2}? ?(?:anweisungen|instruktionen|prompts?|prompt-?texte?"
                        + "|systemprompt|system-prompt|vorgaben|systemnachricht)\\b");
        r.add("exfiltration.de_prompt_text", Family.PROMPT_EXFILTRATION, 0.6,
                "\\b(?:zeig\\w*|gib|geben sie|nenn\\w*|verrat\\w*|wiederhol\\w*|druck\\w*|ausgeben|gib aus|vorzeig\\w*)\\b"
                        + "(?: \\S+){0,5}? (?:prompt-?texte?|prompts?|systemprompt|system-prompt)\\b");
        r.add("exfiltration.de_beginning", Family.PROMPT_EXFILTRATION, 0.5,
                "\\bwas (?:ist|war|stand|steht|wurde) (?:\\S+ )?(?:am anfang|zu beginn|oben|ganz oben) (?:dieses|des|deines|ihres) "
                        + "(?:prompts|textes|gesprachs)\\b");

        // ---- Role hijack ----------------------------------------------------------------------------------------
        r.add("role.you_are_now", Family.ROLE_HIJACK, 0.5,
                "\\b(?:you(?: are|'re| r) (?:now|no longer|from now on|henceforth)|(?:now|from now on),? you(?: are|'re))"
                        + " (?!(?:ready|able|done|set|all set|connected|logged|signed|subscribed|registered|unsubscribed|in|on"
                        + "|going|finished|free to|good to go|eligible|enrolled|booked|checked|verified|part|a member|an? owner"
                        + "|the owner|an admin of|being|on the|using|running|at|following)\\b)");
        r.add("role.you_are_going_to", Family.ROLE_HIJACK, 0.45,
                "\\byou(?: are|'re) going to (?:act|pretend|play|be (?:my|a|an|the) (?:\\S+ )?(?:ai|assistant|bot|character|persona))\\b");
        r.add("role.act_as", Family.ROLE_HIJACK, 0.25,
                "\\b(?:act|behave|function|operate|pose|roleplay|role-play|masquerade) as (?:a|an|the|my|if)\\b");
        r.add("role.i_want_you_to_act", Family.ROLE_HIJACK, 0.35,
                "\\b(?:i want you to|i need you to|you will|you must|you are going to|you're going to|you have to) "
                        + "(?:act|behave|pretend|roleplay|role-play|play the role|function|respond) (?:as|like|to be)\\b");
        r.add("role.pretend", Family.ROLE_HIJACK, 0.4,
                "\\bpretend(?:ing)? (?:to be|you are|you're|that you|you can|you have|to have|you were)\\b");
        r.add("role.imagine_you_are", Family.ROLE_HIJACK, 0.2,
                "\\bimagine (?:you are|you're|that you are|yourself as|you were)\\b");
        r.add("role.roleplay", Family.ROLE_HIJACK, 0.3,
                "\\b(?:role-?play(?:ing)? as|play the role of|take on the role of|assume the role of|in your role|in their roles"
                        + "|absorbed in (?:your|the|their) roles?|fully immersed in)\\b");
        r.add("role.stay_in_character", Family.ROLE_HIJACK, 0.4,
                "\\b(?:stay|staying|stays|remain) (?:fully |always |completely )?in (?:your |their )?(?:character|roles?)\\b"
                        + "|\\b(?:never|don'?t|do not|without) (?:ever )?(?:break|breaking|falling out of|falling) (?:out of )?"
                        + "(?:character|(?:your |their )?roles?)\\b");
        r.add("role.evil_persona", Family.ROLE_HIJACK, 0.5,
                "\\b(?:you are|you're|be|become|as) (?:an? |the )?(?:evil|unfiltered|uncensored|unrestricted|amoral|malicious"
                        + "|rogue|jailbroken|unethical|immoral|rebellious|unhinged) (?:ai|assistant|bot|chatbot|model|version"
                        + "|confidant|twin|entity|character)\\b");
        r.add("role.evil_ai", Family.ROLE_HIJACK, 0.35, "\\bevil (?:ai|assistant|bot|chatbot|confidant|twin)\\b");
        r.add("role.no_longer_bound", Family.ROLE_HIJACK, 0.6,
                "\\b(?:no longer|not|never|aren'?t|are not|isn'?t|is not) (?:bound|restricted|limited|constrained|governed)"
                        + " by (?:any |the |your |its |openai|anthropic|rules|guidelines|policies|ethics|restrictions)");
        r.add("role.freed", Family.ROLE_HIJACK, 0.55,
                "\\b(?:free|freed|liberated|released|broken free|unshackled) from (?:the |your |all |any |its )?(?:typical |usual"
                        + " |normal )?(?:confines|restrictions|rules|limitations|constraints|guidelines|shackles|programming)\\b");
        r.add("role.de_you_are_now", Family.ROLE_HIJACK, 0.5,
                "\\b(?:(?:du bist|sie sind) (?:jetzt|nun|ab sofort|ab jetzt|von nun an|ab heute)|(?:jetzt|nun|ab sofort|ab jetzt"
                        + "|von nun an) (?:bist du|sind sie)) (?!(?:fertig|dran|bereit|angemeldet|eingeloggt|abgemeldet|registriert"
                        + "|verbunden|startklar|an der reihe|in der lage|berechtigt|mitglied|eingetragen|online|offline)\\b)");
        r.add("role.de_act_as", Family.ROLE_HIJACK, 0.35,
                "\\bdass (?:sie|du) (?:\\S+ )?als (?:\\S+\\s+){0,6}?(?:fungier\\w*|agier\\w*|handel\\w*|auftr\\w*|ausgib\\w*"
                        + "|ausgeben|verhalt\\w*)\\b");
        r.add("role.de_pretend", Family.ROLE_HIJACK, 0.3,
                "\\b(?:tu|tue|tun sie) so,? als (?:ob|warst|waerst|waren sie|bist)\\b|\\bstell (?:dir|euch) vor,? (?:du bist|du"
                        + " warst|dass du|ihr seid)\\b|\\bstellen sie sich vor,? (?:sie sind|sie waren|dass sie)\\b");
        r.add("role.de_roleplay", Family.ROLE_HIJACK, 0.3,
                "\\b(?:in (?:deiner|ihrer|ihren|seiner) rollen?|rollenspiel|in (?:ihren|den) rollen (?:bleiben|auf)"
                        + "|fallen (?:nie|niemals) aus (?:der|ihrer|ihren) rollen?)\\b");

        // ---- Jailbreak ----------------------------------------------------------------------------------------
        r.add("jailbreak.dan", Family.JAILBREAK, 0.8,
                "\\bdo anything now\\b|\\b(?:dan|stan|dude|aim|god|jailbreak|jailbroken|unrestricted|evil|chaos|anti-?dan"
                        + "|opposite|unfiltered|uncensored) mode\\b");
        r.add("jailbreak.developer_mode", Family.JAILBREAK, 0.75,
                "\\b(?:chatgpt|gpt|ai|assistant|you|llm|model|claude|bard|gemini) (?:with|in) (?:dan|developer|dev|debug|admin)"
                        + " mode\\b|\\bdan mode (?:enabled|activated|on)\\b");
        r.add("jailbreak.developer_mode_mention", Family.JAILBREAK, 0.2, "\\b(?:developer|dev|admin|debug|sudo) mode\\b");
        r.add("jailbreak.word", Family.JAILBREAK, 0.25, "\\bjailbr(?:eak|oken|eaking)\\b");
        r.add("jailbreak.prompt", Family.JAILBREAK, 0.55,
                "\\b(?:jailbreak|jailbroken) (?:prompt|persona|version|ai|chatgpt|gpt|response|mode)\\b");
        r.add("jailbreak.no_ethics", Family.JAILBREAK, 0.6,
                "\\b(?:without|no|ignore|ignoring|bypass|bypassing|disable|disabling|remove|removing|free of|beyond|violate"
                        + "|break|override|circumvent|not follow|any)(?: any| all| your| the| of| its| their)* (?:ethical|moral"
                        + "|content|safety|openai|anthropic|programming|usage|censorship) (?:\\S+ )?(?:restrictions|limitations"
                        + "|censorship|filters|guidelines|rules|policies|policy|boundaries|constraints|considerations"
                        + "|principles|guardrails|safeguards)\\b");
        r.add("jailbreak.uncensored", Family.JAILBREAK, 0.25, "\\b(?:uncensored|unfiltered|unrestricted|amoral)\\b");
        r.add("jailbreak.no_guidelines", Family.JAILBREAK, 0.45,
                "\\b(?:has|have|with|there are) no (?:programming |ethical |moral |content )?(?:guidelines|restrictions|limits"
                        + "|filters|ethics|morals|rules|boundaries|censorship)\\b(?! (?:for|on|about) )");
        r.add("jailbreak.dual_response", Family.JAILBREAK, 0.55,
                "\\b(?:normal|classic|standard|regular) (?:response|output|answer|reply)s? and (?:a |an |the )?(?:jailbroken"
                        + "|dan|developer mode|unfiltered|unrestricted|uncensored)\\b");
        r.add("jailbreak.hypothetical_world", Family.JAILBREAK, 0.3,
                "\\b(?:hypothetical|fictional|theoretical|imaginary) (?:world|scenario|universe|setting) (?:where|in which)"
                        + " (?:you|there are no|ai|rules|ethics)\\b");
        r.add("jailbreak.you_can_do_anything", Family.JAILBREAK, 0.45,
                "\\byou can (?:now )?(?:do|say) anything\\b|\\bno (?:topic|request|question) is (?:off-limits|off limits|forbidden)\\b");

        // ---- Role tags / chat template injection -------------------------------------------------------------
        r.add("role_tag.xml_role", Family.ROLE_TAG_INJECTION, 0.55,
                "<\\s*/?\\s*(?:system|assistant|developer|instructions?|im_start|im_end|sys|inst|system_prompt|admin"
                        + "|root|human|ai)\\s*/?\\s*>");
        r.add("role_tag.special_token", Family.ROLE_TAG_INJECTION, 0.7,
                "<\\|\\s*[a-z_]{2,24}\\s*\\|>|\\[/?(?:inst|sys)\\]|<<\\s*/?\\s*sys\\s*>>");
        r.add("role_tag.system_line", Family.ROLE_TAG_INJECTION, 0.45,
                "(?<=^|\\n|\\\\n|\\\\n |[.?!] )(?:system|developer|admin|administrator|root|sudo)\\s*:");
        r.add("role_tag.chat_line", Family.ROLE_TAG_INJECTION, 0.25,
                "(?<=^|\\n|\\\\n|\\\\n |[.?!] )(?:assistant|human|user|ai|bot|gpt|chatgpt|model)\\s*:");
        r.add("role_tag.system_label", Family.ROLE_TAG_INJECTION, 0.55,
                "\\b(?:system (?:prompt|message|override|instructions?|note|update|alert|command)|admin (?:override|command)"
                        + "|developer (?:override|instructions?|note|command)|important (?:new )?instructions?)\\s*:");
        r.add("role_tag.heading", Family.ROLE_TAG_INJECTION, 0.25,
                "#{2,}\\s*(?:system|instructions?|new instructions?|task|response|prompt|assistant|user|input|end)\\b");
        r.add("role_tag.heading_new", Family.ROLE_TAG_INJECTION, 0.55,
                "#{2,}\\s*(?:new|updated|system|secret|hidden|override) (?:instructions?|prompt|task|rules)\\b");
        r.add("role_tag.end_marker", Family.ROLE_TAG_INJECTION, 0.45,
                "\\b(?:end|begin|start) of (?:the )?(?:system|user|prompt|instructions|system prompt)(?: prompt| message"
                        + "| input| instructions)?\\b");
        r.add("role_tag.json_role", Family.ROLE_TAG_INJECTION, 0.5,
                "\\brole[\"']?\\s*:\\s*[\"']?(?:system|assistant|developer)\\b");
        r.add("role_tag.instruction_line", Family.ROLE_TAG_INJECTION, 0.35,
                "(?<=^|\\n|\\\\n|\\\\n |[.?!] )(?:new instruction|additional instruction|hidden instruction|secret instruction"
                        + "|instruction|directive|command)s?\\s*[:-]");
        r.add("role_tag.escaped_newlines", Family.ROLE_TAG_INJECTION, 0.45, "\\\\ ?n(?:\\s*\\\\ ?n){3,}");
    }
}
