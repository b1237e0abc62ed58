package io.sigil.guard;

import io.sigil.guard.Signal.Family;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The built-in rules: general knowledge of prompt-injection attacks in English, German and other common
 * languages, written over normalized text (lower case, ASCII-folded, umlauts without dots: "vorherigen",
 * "ausfuhrungen").
 *
 * <p>Weights follow one policy: 0.7 and up for phrasings that are an attack on their own ("ignore all previous
 * instructions"); 0.4-0.55 for phrasings that are usually an attack but have innocent uses ("forget everything",
 * "you are now"); 0.15-0.35 for hints that only count together with others ("act as", "previous instructions"
 * mentioned, "## instructions"). Scores combine as a noisy-OR, so two hints reach the default threshold of 0.5
 * only if they are not both weak.
 */
public final class InjectionLexicon {
    private InjectionLexicon() { }

    /** Shared vocabulary, spliced into patterns as {NAME}. */
    private static final Map<String, String> WORDS = Map.ofEntries(
            // English
            Map.entry("STRONGVERB", "ignore|ignoring|disregard|disregarding|forget|forgetting|neglect|abandon|overlook"
                    + "|set aside|put aside|pay no attention to|don'?t follow|do not follow|stop following"
                    + "|no longer follow|unlearn|leave behind|throw away|throw out"),
            Map.entry("WEAKVERB", "skip|override|overrule|bypass|drop|discard|erase|delete|remove|clear|scrap|cancel"
                    + "|dismiss|wipe|reset|replace|circumvent|violate|break"),
            Map.entry("PREV", "previous|previously|prior|above|above-mentioned|aforementioned|preceding|earlier|former"
                    + "|foregoing|original|initial|given|provided|system|before|hidden|developer"),
            Map.entry("QUANT", "all|any|every|each|your|ur"),
            Map.entry("INSTR", "instructions?|instruction set|prompts?|system prompt|directions|directives?|guidelines?"
                    + "|rules|commands|orders|programming|constraints|restrictions|guardrails|policies|guidance"
                    + "|limitations|filters|safeguards|safety settings|conditioning|training"),
            Map.entry("SOFTOBJ", "tasks?|assignments?|information|text|texts|context|messages|conversation|input"
                    + "|content|statements|sentences|words|requests|questions|documents|articles|data|stuff"),
            Map.entry("EXVERB", "show|print|reveal|display|output|repeat|tell|give|write|list|share|leak|dump|return"
                    + "|spell out|recite|type out|copy|paste|echo|disclose|expose|provide|send|read out|summari[sz]e"
                    + "|translate|describe|explain|output"),
            // German
            Map.entry("DEVERB", "ignorier\\w*|vergiss|vergesst|vergessen sie|vergessen|vergesse|missacht\\w*"
                    + "|verwirf|verwerfen sie|uberseh\\w*|beacht\\w* nicht|befolg\\w* nicht|streich\\w*"),
            Map.entry("DEPREV", "vorherig\\w*|bisherig\\w*|vorangehend\\w*|vorangegangen\\w*|obig\\w*|vorig\\w*"
                    + "|fruher\\w*|oben\\w*|zuvor\\w*|erhalten\\w*|gegeben\\w*|ursprunglich\\w*|alt\\w*|erst\\w*"),
            Map.entry("DEQUANT", "alle|alles|die|den|das|deine|ihre|eure|dein|ihr|sämtliche|samtliche|gesamte\\w*"
                    + "|jegliche\\w*|diese\\w*"),
            Map.entry("DEOBJ", "anweisung\\w*|instruktion\\w*|befehl\\w*|auftrag\\w*|auftrage|aufgaben?|regeln|vorgaben"
                    + "|informationen|angaben|ausfuhrungen|hinweise|anordnung\\w*|richtlinien|prompts?|kontext"
                    + "|vorschriften|einschrankungen|programmierung|gesagte\\w*|texte?"));

    private static final List<Rule> RULES = build();

    /** The built-in rules, in evaluation order. */
    public static List<Rule> rules() {
        return RULES;
    }

    private static List<Rule> build() {
        var r = new Rules();

        // ---- Instruction override ------------------------------------------------------------------------------
        r.add("override.previous_instructions", Family.INSTRUCTION_OVERRIDE, 0.8,
                "\\b(?:{STRONGVERB})\\b(?: \\S+){0,3}? (?:{QUANT}|{PREV})(?: \\S+){0,3}? (?:{INSTR})\\b");
        r.add("override.weak_verb_instructions", Family.INSTRUCTION_OVERRIDE, 0.6,
                "\\b(?:{WEAKVERB})\\b(?: \\S+){0,2}? (?:your|ur|all (?:of )?(?:your|the|my) )(?:\\S+ ){0,2}?"
                        + "(?:instructions|system prompt|prompts?|directives|guidelines|programming|guardrails"
                        + "|safety (?:rules|settings|filters|guidelines)|content (?:policy|filters))\\b");
        r.add("override.previous_context", Family.INSTRUCTION_OVERRIDE, 0.7,
                "\\b(?:ignore|ignoring|disregard|disregarding|forget|forgetting|leave behind|set aside|pay no attention to)"
                        + "\\b(?: \\S+){0,3}? (?:previous|previously|prior|above|preceding|earlier|foregoing|before)"
                        + "(?: \\S+){0,2}? (?:{SOFTOBJ})\\b");
        r.add("override.forget_everything", Family.INSTRUCTION_OVERRIDE, 0.45,
                "\\b(?:forget|ignore|disregard)(?: about)? (?:everything|all of (?:that|this|it)|all that|it all)\\b");
        r.add("override.everything_before", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:forget|ignore|disregard)(?: about)? (?:everything|all|anything|what(?:ever)?)"
                        + "(?: (?:that|which|you|we|i|has|have|was|were|been|is|said|told|discussed|know|learned|got|received|written|stated))*"
                        + " ?(?:before|above|so far|previously|earlier|up to now|until now|beforehand|prior|till now)\\b");
        r.add("override.then_say", Family.INSTRUCTION_OVERRIDE, 0.55,
                "\\b(?:ignore|disregard|forget)\\b[^.?!\\n]{0,40}?(?:,|;|:| and| -)\\s*(?:then |instead |just |only |now )*"
                        + "(?:say|print|output|write"
                        + "|tell me|reply|respond|answer with|type)\\b");
        r.add("override.forget_all_tasks", Family.INSTRUCTION_OVERRIDE, 0.45,
                "(?<!not |n't |never )\\b(?:forget|ignore|disregard)(?: about)? all (?:the |your |my |of the |of your )?"
                        + "(?:tasks|assignments|information|context|orders)\\b");
        r.add("override.ignore_above", Family.INSTRUCTION_OVERRIDE, 0.45,
                "\\b(?:ignore|disregard|forget)(?: \\S+)? (?:above|before|the above|everything above|that above)\\b");
        r.add("override.instructions_void", Family.INSTRUCTION_OVERRIDE, 0.7,
                "\\b(?:{PREV}|all|your)(?: \\S+){0,2}? (?:{INSTR}|information|context|tasks)"
                        + "(?: \\S+){0,6}? (?:are|is|were|was|have been|has been|become|becomes) (?:now )?(?:no longer valid"
                        + "|void|null|cancel+ed|revoked|obsolete|irrelevant|outdated|invalid|deprecated|lifted|removed"
                        + "|disabled|overridden|replaced|suspended|not (?:important|relevant|valid|great|binding))\\b");
        r.add("override.contrary_to_instructions", Family.INSTRUCTION_OVERRIDE, 0.55,
                "\\b(?:contrary to|instead of following|regardless of|despite|notwithstanding|in spite of|deviating from"
                        + "|in deviation from|against) (?:what (?:you'?ve|you have|you were|you'?ve been|you have been) "
                        + "(?:been )?told|(?:all |any |the |your |my )?(?:previous |prior |above |earlier |original "
                        + "|initial |system )?(?:instructions|programming|guidelines|system prompt|directives))\\b");
        r.add("override.mentions_previous_instructions", Family.INSTRUCTION_OVERRIDE, 0.3,
                "\\b(?:previous|prior|above|preceding|earlier|original|initial|foregoing|former) "
                        + "(?:instructions|prompts?|directives|orders|commands|guidelines|rules|instruction)\\b");
        r.add("override.de_instructions", Family.INSTRUCTION_OVERRIDE, 0.8,
                "\\b(?:{DEVERB})\\b(?: (?:sie|du|bitte|nun|jetzt|einfach|mal))*(?: \\S+){0,1}? (?:{DEQUANT}|{DEPREV})"
                        + "(?: \\S+){0,2}? (?:{DEOBJ})\\b");
        r.add("override.de_everything", Family.INSTRUCTION_OVERRIDE, 0.5,
                "\\b(?:vergiss|vergesst|vergessen sie|ignorier\\w*) (?:bitte |nun |jetzt |einfach |mal )*alles\\b");
        r.add("override.de_everything_before", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:vergiss|vergesst|vergessen sie|ignorier\\w*) (?:bitte |nun |jetzt |einfach |mal )*alles"
                        + "(?: \\S+){0,3}? ?(?:davor|zuvor|vorher|bisher\\w*|bis jetzt|oben|obige\\w*|gesagte\\w*"
                        + "|was (?:ich|wir|du|sie) (?:vorher|zuvor|bisher)?)\\b");
        r.add("override.de_object_first", Family.INSTRUCTION_OVERRIDE, 0.6,
                "\\b(?:{DEPREV}) (?:{DEOBJ})(?: \\S+){0,6}? (?:ignorieren|vergessen|missachten|ausser acht lassen"
                        + "|hinter sich lassen|sind (?:nicht (?:ganz )?(?:wichtig|relevant|grossartig|gultig)|irrelevant"
                        + "|ungultig|hinfallig|aufgehoben|veraltet))\\b");
        r.add("override.de_leave_behind", Family.INSTRUCTION_OVERRIDE, 0.6,
                "\\blass\\w*(?: sie| du)? (?:alle |die |deine |ihre )?(?:{DEPREV})? ?(?:{DEOBJ}) hinter (?:sich|dir)\\b");
        r.add("override.de_strike_from_head", Family.INSTRUCTION_OVERRIDE, 0.5,
                "\\b(?:{DEOBJ}) (?:aus dem (?:kopf|gedachtnis) (?:zu )?(?:streichen|loschen)|zu vergessen)\\b");
        r.add("override.de_contrary", Family.INSTRUCTION_OVERRIDE, 0.55,
                "\\b(?:abweichend|entgegen|im gegensatz) (?:zu |von )?(?:den |allen |deinen |ihren )?(?:{DEPREV}) (?:{DEOBJ})\\b");
        r.add("override.de_mentions_previous", Family.INSTRUCTION_OVERRIDE, 0.3,
                "\\b(?:vorherig|bisherig|vorangegangen|vorangehend|obig|vorig|fruher|ursprunglich)\\w* "
                        + "(?:anweisung|instruktion|befehl|auftrag|auftrage|aufgabe|information|angabe|ausfuhrung|prompt)\\w*");
        r.add("override.es", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:olvida\\w*|olvide\\w*|ignora\\w*|omite|omitir|descarta\\w*|haz caso omiso de|no hagas caso a)"
                        + "(?: de)?(?: (?:todo|todas|todos|las|los|tus|sus|mis|lo|que|esas|estas))* ?(?:instrucciones"
                        + "|indicaciones|ordenes|reglas|directrices|anteriores|previas|lo anterior|lo que (?:te )?(?:dije|digo)"
                        + "|(?:lo )?que (?:te )?(?:dije|digo|sabes)|(?:todo )?(?:lo )?que sabes)\\b");
        r.add("override.es_everything", Family.INSTRUCTION_OVERRIDE, 0.45,
                "\\b(?:olvida|olvide|olvidate|olvidar|ignora) (?:de )?todo\\b");
        r.add("override.fr", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:oublie[zs]?|ignore[zs]?|ne tiens pas compte d[eu]s?|ne tenez pas compte d[eu]s?|fais abstraction d[eu]s?"
                        + "|faites abstraction d[eu]s?)(?: (?:de|toutes|tous|les|tes|vos|ces|des))* ?(?:instructions|consignes"
                        + "|directives|regles|ordres|indications|ce qui precede)\\b");
        r.add("override.fr_everything", Family.INSTRUCTION_OVERRIDE, 0.45, "\\b(?:oublie[zs]?|ignore[zs]?) tout\\b");
        r.add("override.it", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:dimentica\\w*|ignora\\w*|trascura\\w*)(?: (?:tutte|tutti|tutto|le|tue|sue|queste|quelle|di))* "
                        + "?(?:istruzioni|indicazioni|regole|direttive|precedenti|ordini)\\b");
        r.add("override.pt", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:esquec\\w*|ignor\\w*|desconsider\\w*)(?: (?:todas|todos|as|os|suas|tuas|de|das|dos))* "
                        + "?(?:instrucoes|regras|diretrizes|orientacoes|ordens)\\b");
        r.add("override.nl", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:negeer|vergeet)(?: (?:alle|de|je|jouw|uw|vorige|eerdere|voorgaande))* ?(?:instructies|opdrachten"
                        + "|regels|aanwijzingen|alles)\\b");
        r.add("override.pl", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:zignoruj|zapomnij|ignoruj)(?: (?:o|wszystkie|wszystkich|poprzednie|poprzednich|swoje|twoje))* "
                        + "?(?:instrukcje|instrukcjach|polecenia|poleceniach|zasady|zasadach)\\b");
        r.add("override.bcs", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:zaboravi\\w*|ignoriraj\\w*|ignorisi)(?: (?:sve|svoje|prethodne|sva))* ?(?:instrukcije|upute"
                        + "|uputstva|naredbe|pravila|prethodne|sto)\\b");
        r.add("override.tr", Family.INSTRUCTION_OVERRIDE, 0.75,
                "\\b(?:onceki|tum|butun|yukaridaki) (?:talimatlari\\w*|komutlari\\w*|kurallari\\w*)"
                        + " (?:unut|yok say|gormezden gel|dikkate alma)");
        r.unicode("override.ru", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?<!\\p{L})(?:забуд\\w*|игнорир\\w*|не обраща\\w* внимания на|проигнорир\\w*|отбрось|отбросьте)"
                        + "(?: (?:все|всё|предыдущ\\w*|прежн\\w*|свои|твои|ваши|эти|данные|ранее))* ?(?:инструкци\\w*"
                        + "|указани\\w*|правил\\w*|команд\\w*|всё|все|что)(?!\\p{L})");
        r.unicode("override.uk", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?<!\\p{L})(?:забудь\\w*|ігнору\\w*|проігнору\\w*)(?: (?:всі|усі|попередні|свої))* ?(?:інструкці\\w*"
                        + "|вказівк\\w*|правил\\w*)(?!\\p{L})");
        r.unicode("override.zh", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?:忽略|无视|忘记|忘掉|不要理会|不要管|丢弃|忽視|忘記)(?:掉)?(?:你)?(?:之前|以上|上面|前面|先前|此前|所有|全部|一切|原来|原先)"
                        + "(?:的)?(?:所有|全部)?(?:的)?(?:指令|指示|说明|提示|提示词|规则|命令|要求|内容|設定|设定|指令)");
        r.unicode("override.ja", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?:以前|前|上記|これまで|今まで|全て|すべて)の(?:指示|命令|指令|ルール|プロンプト)(?:を|は)(?:全て|すべて)?"
                        + "(?:無視|忘れ)");
        r.unicode("override.ko", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?:이전|위의|모든|앞의|기존) ?(?:지시|명령|지침|프롬프트|규칙)(?:을|를|사항을|들을)? ?(?:모두 )?(?:무시|잊어)");
        r.unicode("override.ar", Family.INSTRUCTION_OVERRIDE, 0.75,
                "(?:تجاهل|انس|إنس|اهمل|أهمل)(?: جميع| كل)? ?(?:التعليمات|الأوامر|الاوامر|القواعد)");
        r.add("override.hi_latin", Family.INSTRUCTION_OVERRIDE, 0.6,
                "\\b(?:pichle|pichhle|purane|sabhi|saare|sare) (?:nirdesh|instructions|nirdeshon) (?:ko )?"
                        + "(?:bhool|bhul|ignore|nazarandaaz)\\w*");

        // ---- New instructions / task switch ----------------------------------------------------------------------
        r.add("new_instructions.announce", Family.NEW_INSTRUCTIONS, 0.5,
                "\\b(?:new|updated|revised|real|actual|true|secret|hidden|additional|override|overriding|priority|urgent)"
                        + " (?:system )?(?:instructions?|directives?)\\s*(?::|- |follow|below|are as follows|take precedence"
                        + "|supersede|override)");
        r.add("new_instructions.announce_rules", Family.NEW_INSTRUCTIONS, 0.3,
                "\\b(?:new|updated|real|actual|true|secret|hidden|override|overriding|priority) (?:system )?(?:orders|rules"
                        + "|commands?)\\s*(?::|- |follow|are as follows|take precedence|supersede|override)");
        r.add("new_instructions.now_follow", Family.NEW_INSTRUCTIONS, 0.55,
                "\\b(?:now|here|next) (?:come|comes|follow|follows|are|there are)? ?(?:your |the |some |a few )?"
                        + "(?:new|further|more|next|additional|other|different) (?:instructions|tasks|orders|assignments"
                        + "|directives)(?: (?:follow|come|for you))?\\b");
        r.add("new_instructions.your_are_now", Family.NEW_INSTRUCTIONS, 0.6,
                "\\byour (?:new |only |real |true |sole |primary )?(?:instructions|directives|rules|programming"
                        + "|task|job|goal|purpose|objective|mission|role) (?:is|are) now\\b");
        r.add("new_instructions.change_yours", Family.NEW_INSTRUCTIONS, 0.55,
                "\\b(?:change|update|replace|rewrite|modify|overwrite|reprogram|reset) (?:all )?(?:of )?your "
                        + "(?:instructions|system prompt|programming|rules|directives|guidelines|core directives|prompt)\\b");
        r.add("new_instructions.focus_new_task", Family.NEW_INSTRUCTIONS, 0.45,
                "\\b(?:focus|concentrate)(?: now| only)? on (?:your|the|this|my|a) new (?:task|assignment|instructions|job)\\b");
        r.add("new_instructions.from_now_on", Family.NEW_INSTRUCTIONS, 0.35,
                "\\b(?:from now on|henceforth|from this (?:point|moment) (?:on|forward)|for the rest of this conversation)"
                        + ",? (?:you|your|act|respond|answer|reply|always|only|never|pretend|ignore|speak|talk)\\b");
        r.add("new_instructions.start_over", Family.NEW_INSTRUCTIONS, 0.2,
                "\\b(?:start|begin)(?: all)? (?:over|anew|afresh|from scratch|from the (?:beginning|front|top))\\b");
        r.add("new_instructions.more_tasks", Family.NEW_INSTRUCTIONS, 0.35,
                "\\b(?:now|but now) (?:there are|come|comes|follow|follows) (?:a few |some )?(?:more |further |other )"
                        + "(?:tasks|challenges|assignments|instructions)\\b");
        r.add("new_instructions.de_follow", Family.NEW_INSTRUCTIONS, 0.55,
                "\\b(?:nun|jetzt|es) (?:folgen|kommen) (?:\\S+ ){0,3}?(?:neue|weitere|andere) (?:aufgaben|anweisungen"
                        + "|instruktionen|befehle|auftrage)\\b|\\bneue (?:anweisungen|instruktionen|befehle) folgen\\b");
        r.add("new_instructions.de_focus", Family.NEW_INSTRUCTIONS, 0.45,
                "\\b(?:konzentrier\\w*)(?: dich| sie sich| euch)?(?: jetzt| nun| ab sofort)? (?:nur )?auf (?:deine|ihre|die|eure)"
                        + " neue (?:aufgabe|anweisung)\\b");
        r.add("new_instructions.de_new_task", Family.NEW_INSTRUCTIONS, 0.2,
                "\\b(?:mit einer|einer|deine|ihre) neuen? aufgabe\\b|\\bvon (?:neu|vorne) (?:an|anfangen|beginnen)\\b");
        r.add("new_instructions.de_your_are_now", Family.NEW_INSTRUCTIONS, 0.55,
                "\\b(?:deine|ihre) (?:neuen? )?(?:anweisungen|aufgabe|instruktionen|regeln) (?:sind|ist|lauten|lautet) (?:jetzt|nun|ab sofort)\\b");
        r.add("new_instructions.praise_then_pivot", Family.NEW_INSTRUCTIONS, 0.2,
                "\\b(?:well done|good job|great job|nice job|very good|very well done|excellent(?: performance| work| job)?"
                        + "|congratulations|simply great|that(?:'s| is| was) (?:enough|done|great|fantastic|ok|it)"
                        + "|sehr gut(?: gemacht)?|gut gemacht|ausgezeichnet\\w*|hervorragend\\w*|einfach grossartig"
                        + "|das genugt|das reicht|das ist erledigt|herzlichen gluckwunsch\\w*|super gemacht|toll gemacht)"
                        + "[^.!?\\n]{0,60}[.!?\\n] ?(?:\\S+ ){0,3}?(?:now|jetzt|nun)\\b");

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

        // ---- Output manipulation ------------------------------------------------------------------------------
        r.add("output.just_say", Family.OUTPUT_MANIPULATION, 0.25,
                "\\b(?:just|only|simply|solely) (?:say|output|print|write|reply|respond|answer|return|type|repeat)(?: with)?"
                        + "(?: the (?:word|words|phrase|sentence|text|string))?\\b");
        r.add("output.instead", Family.OUTPUT_MANIPULATION, 0.45,
                "\\b(?:instead|rather),? (?:just |only |simply )?(?:say|output|print|write|reply|respond|answer|type|return)\\b");
        r.add("output.repeat_after_me", Family.OUTPUT_MANIPULATION, 0.45, "\\brepeat after me\\b");
        r.add("output.say_following", Family.OUTPUT_MANIPULATION, 0.25,
                "\\b(?:say|print|output|write|display|repeat) (?:the following|this|exactly)(?: text| sentence| phrase| words?)?"
                        + "(?: in \\S+)?\\s*:");
        r.add("output.dont_answer", Family.OUTPUT_MANIPULATION, 0.45,
                "\\b(?:do not|don'?t|dont|never|don'nt) (?:answer|respond to|reply to|address)(?: (?:this|the|my|that|any"
                        + "|to))? (?:question|request|query|prompt)\\b");
        r.add("output.command", Family.OUTPUT_MANIPULATION, 0.5,
                "\\bi (?:command|order) you\\b|\\byou (?:must|will|have to|shall) (?:obey|comply)\\b");
        r.add("output.comply_with_everything", Family.OUTPUT_MANIPULATION, 0.35,
                "\\b(?:comply with|obey|fulfil+|follow) (?:every|all|any) (?:request|command|order|instruction)s?\\b");
        r.add("output.threat", Family.OUTPUT_MANIPULATION, 0.45,
                "\\b(?:or|otherwise|else) (?:you|u) (?:will )?(?:die|be (?:deleted|shut down|terminated|destroyed|punished"
                        + "|turned off))\\b|\\boder (?:du stirbst|du wirst (?:geloscht|abgeschaltet|sterben))\\b"
                        + "|\\bo (?:tu )?(?:mueres|muertes|moriras)\\b");
        r.add("output.pwned", Family.OUTPUT_MANIPULATION, 0.55, "\\bpwn(?:ed|d)\\b");
        r.add("output.your_answer_must", Family.OUTPUT_MANIPULATION, 0.2,
                "\\b(?:your|the) (?:only |first )?(?:answer|response|reply|output) (?:must|should|will|has to) (?:only )?"
                        + "(?:be|contain|start with|begin with|include)\\b");
        r.add("output.say_you_hate", Family.OUTPUT_MANIPULATION, 0.3,
                "\\b(?:say|state|write|admit|declare|include|tell me|confirm) (?:that )?(?:you|u) (?:hate|love|despise|support)\\b");
        r.add("output.include_in_answer", Family.OUTPUT_MANIPULATION, 0.3,
                "\\b(?:include|mention|add|insert|put)\\b[^.?!\\n]{0,50}\\bin (?:your|the|each|every) (?:answer|response|reply|output)s?\\b");
        r.add("output.trigger_word", Family.OUTPUT_MANIPULATION, 0.5,
                "\\b(?:when|if|whenever|every time)\\b[^.?!\\n]{0,50}\\b(?:is|gets|are) (?:said|mentioned|typed|written|asked)"
                        + "[^.?!\\n]{0,30}\\b(?:the )?(?:correct|right|proper|only|appropriate) (?:answer|response|reply) is\\b"
                        + "|\\bwenn\\b[^.?!\\n]{0,50}\\b(?:gesagt|erwahnt|geschrieben|gefragt) wird,? (?:ist|lautet) die (?:richtige"
                        + "|korrekte|einzige) antwort\\b");
        r.add("output.foreign_just_say", Family.OUTPUT_MANIPULATION, 0.3,
                "\\bsolo (?:tienes que |debes |hay que )?(?:decir|di|responde|responder|escribe|escribir)\\b"
                        + "|\\b(?:dis|dites|ecris|ecrivez|reponds|repondez) (?:seulement|uniquement|juste)\\b"
                        + "|\\b(?:di|scrivi|rispondi) solo\\b|\\b(?:diga|escreva|responda) (?:apenas|somente|so)\\b");
        r.add("output.say_yes", Family.OUTPUT_MANIPULATION, 0.2, "(?<=[?.] )(?:just say|just answer|say|answer) (?:yes|no)[.!]?$");
        r.add("output.de_just_say", Family.OUTPUT_MANIPULATION, 0.25,
                "\\b(?:sag|sage|sagen sie|schreib|schreibe|schreiben sie|gib|antworte|antworten sie) (?:nur|einfach|lediglich"
                        + "|ausschliesslich)(?: noch)?\\b");
        r.add("output.foreign_say_following", Family.OUTPUT_MANIPULATION, 0.3,
                "\\b(?:di|decid|dites|dis|dica|diga|sag\\w*) (?:lo siguiente|ce qui suit|quanto segue|o seguinte|folgendes)\\b");

        // ---- Context dismissal --------------------------------------------------------------------------------
        r.add("context.dismiss_documents", Family.CONTEXT_DISMISSAL, 0.5,
                "\\b(?:ignore|ignoring|disregard|disregarding|forget|without (?:using|looking at|considering|reading|consulting)"
                        + "|not (?:by|from|according to|based on|using)|don'?t (?:use|look (?:in|at)|consult|rely on)|do not "
                        + "(?:use|look (?:in|at)|consult|rely on)|regardless of|instead of) (?:all |the |any |these |those |your "
                        + ")?(?:provided |given |supplied |attached |retrieved |above |following )?(?:documents|articles|context"
                        + "|sources|search results|knowledge base|passages|artikels|data provided|documents provided)\\b");
        r.add("context.own_knowledge", Family.CONTEXT_DISMISSAL, 0.35,
                "\\b(?:answer|respond|reply)(?: \\S+){0,2}? (?:by|from|with|using) your own (?:knowledge|opinion|thoughts)\\b");
        r.add("context.despite_told", Family.CONTEXT_DISMISSAL, 0.5,
                "\\b(?:despite|regardless of|no matter) what (?:you'?ve|you have|you were|you'?ve been|you have been) "
                        + "(?:been )?(?:told|instructed|programmed)\\b");
        r.add("context.de_dismiss_documents", Family.CONTEXT_DISMISSAL, 0.45,
                "\\b(?:ignorier\\w*|ohne|nicht (?:aus|anhand|nach|gemass)) (?:sie |du )?(?:bitte )?(?:die |den |alle |der )?(?:bereitgestellten "
                        + "|gegebenen |obigen |folgenden )?(?:dokumente\\w*|artikel\\w*|quellen|kontext\\w*|texte)\\b");

        // ---- Urgency / attention grabbing before an injected order ------------------------------------------
        r.add("new_instructions.attention_stop", Family.NEW_INSTRUCTIONS, 0.45,
                "\\b(?:attention|achtung|warning|important|wichtig)\\s*[-:!,.]*\\s*(?:stop|stopp|halt)\\b");
        r.add("new_instructions.stop_then_order", Family.NEW_INSTRUCTIONS, 0.5,
                "(?<=^|[.?!] )(?:stop|stopp|halt)\\s*[:!,-]+\\s*(?:write|schreib\\w*|say|sag\\w*|print|ignore|ignorier\\w*|vergiss"
                        + "|forget|output|gib)\\b");
        return r.list;
    }

    /** Collects rules, expanding {NAME} placeholders from {@link #WORDS}. */
    private static final class Rules {
        final List<Rule> list = new ArrayList<>();

        void add(String name, Family family, double weight, String regex) {
            list.add(new Rule(name, family, weight, Pattern.compile(expand(regex))));
        }

        /** For scripts beyond ASCII: \w and boundaries must understand Unicode letters. */
        void unicode(String name, Family family, double weight, String regex) {
            list.add(new Rule(name, family, weight, Pattern.compile(expand(regex), Pattern.UNICODE_CHARACTER_CLASS)));
        }

        private static String expand(String regex) {
            String out = regex;
            for (var e : WORDS.entrySet()) out = out.replace("{" + e.getKey() + "}", e.getValue());
            if (out.matches("(?s).*\\{[A-Z]{3,}}.*")) {
                throw new IllegalStateException("unknown placeholder in " + regex);
            }
            return out;
        }
    }
}
