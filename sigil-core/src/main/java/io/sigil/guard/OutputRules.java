package io.sigil.guard;

import io.sigil.guard.Signal.Family;

/**
 * Built-in rules of {@link InjectionLexicon}, under its weight policy: what the attack wants said, a dictated
 * answer (output manipulation), the supplied documents set aside (context dismissal), or an urgent "stop" ahead
 * of an injected order.
 */
final class OutputRules {
    private OutputRules() { }

    /** Adds this part's rules to {@code r}, in evaluation order. */
    static void addTo(InjectionLexicon.Rules r) {
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
    }
}
