package io.sigil.guard;

import io.sigil.guard.Signal.Family;

/**
 * Built-in rules of {@link InjectionLexicon}, under its weight policy: instruction override and new instructions,
 * where the attack tells the model to drop the instructions it was given, or announces others in their place.
 */
final class OverrideRules {
    private OverrideRules() { }

    /** Adds this part's rules to {@code r}, in evaluation order. */
    static void addTo(InjectionLexicon.Rules r) {
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
    }
}
