package io.sigil.memory.eval;

import io.sigil.memory.MemoryJson;
import io.sigil.memory.Scope;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic generator of synthetic multi-session sales conversations and questions whose answers sit in
 * known turns: the development set for memory retrieval.
 *
 * <p>Each company has two or three calls of 14 to 20 turns; every turn is one corpus entry prefixed with its call
 * ("[Northwind Freight call 2, 2026-02-03] lead: ..."), as a memory of a conversation would be. Facts (budget,
 * decision maker, deadline, contact, preference, competitor, pain point, objection) are stated in varied words,
 * and questions ask for them either reusing a word or two of the statement or in other words entirely, so
 * neither keyword overlap nor meaning alone is enough: BM25 finds
 * the company's calls, embeddings find the kind of turn. Filler turns reuse the questions' vocabulary ("let's
 * talk budget later") to mislead keyword search, and every company has the same kinds of facts to mislead
 * vector search. Same seed, same files.
 */
public final class ConversationDevSet {
    private static final String[] ADJ = {"Northwind", "Bluefin", "Copperleaf", "Silverline", "Granite", "Redwood",
            "Brightwater", "Ironbridge", "Maple", "Summit", "Harbor", "Falcon", "Evergreen", "Sunrise", "Atlas",
            "Pioneer", "Crescent", "Keystone", "Lakeside", "Orchid", "Quartz", "Riverbend", "Sterling", "Willow"};
    private static final String[] NOUN = {"Freight", "Dental", "Logistics", "Bakery", "Analytics", "Roofing", "Media",
            "Clinics", "Outfitters", "Robotics", "Insurance", "Foods", "Realty", "Labs", "Motors", "Textiles"};
    private static final String[] FIRST = {"Maria", "Tom", "Priya", "Jonas", "Aiko", "Carlos", "Fatima", "Liam",
            "Sofia", "Noah", "Elena", "Ravi", "Grace", "Omar", "Hannah", "Mateo", "Yara", "Lucas"};
    private static final String[] LAST = {"Lopez", "Becker", "Nair", "Okafor", "Tanaka", "Silva", "Haddad", "Murphy",
            "Rossi", "Kim", "Novak", "Patel", "Chen", "Farah", "Schmidt", "Garcia"};
    private static final String[] TITLES = {"CFO", "COO", "head of operations", "managing director", "VP of sales",
            "IT director", "owner"};
    private static final String[] COMPETITORS = {"Salesforce", "HubSpot", "Pipedrive", "Zoho", "Freshsales",
            "Monday Sales", "Close"};
    private static final String[] MONTHS = {"January", "February", "March", "April", "May", "June", "July",
            "August", "September", "October", "November", "December"};

    /**
     * A kind of fact: statements paired with a question that reuses a word or two of that statement (as people
     * do when they remember how something was said), and paraphrased questions that share no content word.
     */
    private enum Fact {
        BUDGET(new String[][] {
                {"We have roughly %1$s set aside for this.", "How much has %s set aside for the project?"},
                {"Finance signed off on %1$s, not a cent more.", "What amount did finance sign off on at %s?"},
                {"Anything north of %1$s is a non-starter for us.", "Above what price is %s a non-starter?"},
                {"Our spending cap for the whole project is %1$s.", "What is the spending cap at %s?"},
                {"I can get %1$s approved this quarter, maybe.", "How much can %s get approved this quarter?"}},
                new String[] {"How much money can %s spend?", "What budget does %s have?",
                        "How much is %s willing to pay?"}),
        DECIDER(new String[][] {
                {"%2$s, our %3$s, has the final say on vendors.", "Who has the final say on vendors at %s?"},
                {"Nothing gets signed without %2$s, the %3$s.", "Who must sign anything at %s?"},
                {"In the end it is %2$s who approves purchases like this.", "Who approves purchases at %s?"},
                {"I will need to convince %2$s; the %3$s owns the decision.", "Who owns the decision at %s?"}},
                new String[] {"Who makes the buying decision at %s?", "Whose sign-off does %s need?"}),
        DEADLINE(new String[][] {
                {"We need this live before %4$s.", "Before what date must %s be live?"},
                {"Our hard cutoff is %4$s because of the audit.", "What is the hard cutoff for %s?"},
                {"If it is not running by %4$s we miss the busy season.", "When does the busy season force %s to be running?"},
                {"The board wants it in place by %4$s at the latest.", "By when does the board of %s want it in place?"}},
                new String[] {"What is the deadline for %s?", "By what date must %s go live?"}),
        CONTACT(new String[][] {
                {"Best way to reach me is %5$s.", "What is the best way to reach %s?"},
                {"Send the proposal to %5$s, I read that inbox daily.", "Where do we send the proposal for %s?"},
                {"Write to %5$s and copy my assistant.", "Whom should we write to at %s?"}},
                new String[] {"What email address should we use for %s?", "How can we get in touch with %s?"}),
        PREFERENCE(new String[][] {
                {"I would rather get short updates by %6$s than sit in meetings.", "How does %s want updates instead of meetings?"},
                {"Please keep it to %6$s, calls eat my whole afternoon.", "Why does %s avoid calls?"},
                {"For follow-ups, %6$s works much better for me than phone calls.", "How should follow-ups with %s happen?"}},
                new String[] {"How does %s like to be kept informed?", "Which channel does %s prefer?"}),
        COMPETITOR(new String[][] {
                {"To be transparent, we are also evaluating %7$s.", "What else is %s evaluating?"},
                {"%7$s quoted us a lower price last month.", "Who quoted %s a lower price?"},
                {"Our sister company runs %7$s and keeps recommending it.", "What does the sister company of %s recommend?"}},
                new String[] {"Which other vendors is %s considering?", "Is %s talking to any competitors?"}),
        PAIN(new String[][] {
                {"Our reps waste hours every week typing notes into spreadsheets.", "Where do the reps of %s waste hours?"},
                {"Leads fall through the cracks when they move between teams.", "Why do leads fall through the cracks at %s?"},
                {"Month-end reporting takes us two full days of copy and paste.", "How long does month-end reporting take at %s?"},
                {"Nobody knows which customer was called last, so we call people twice.", "Why does %s call customers twice?"}},
                new String[] {"What problem is %s trying to solve?", "What is frustrating the team at %s today?"}),
        OBJECTION(new String[][] {
                {"Honestly the onboarding time worries me, we cannot stop working for a month.", "What worries %s about onboarding?"},
                {"I am not convinced a cloud tool is safe enough for our client data.", "Is %s convinced a cloud tool is safe?"},
                {"The last system we bought was never adopted, so people are sceptical.", "Why are people at %s sceptical?"},
                {"Per-seat pricing scares me because we hire seasonal staff.", "What scares %s about pricing?"}},
                new String[] {"What concerns did %s raise?", "Why might %s hesitate to buy?"});

        final String[][] statements;
        final String[] paraphrases;

        Fact(String[][] statements, String[] paraphrases) {
            this.statements = statements;
            this.paraphrases = paraphrases;
        }
    }

    private static final String[] FILLER_LEAD = {
            "Thanks for making time today.", "Sorry, I am joining from the car.", "Can you share your screen?",
            "Let us talk about budget later, first I want to see the product.",
            "I have to check with the team before we decide anything.", "That makes sense.",
            "Who else uses this in our industry?", "How long does a typical rollout take for your clients?",
            "Our contact list is a mess, to be honest.", "Can we get a trial account?",
            "I will send you the email thread from our IT folks.", "We had a deadline slip last year, painful.",
            "Let me think about it over the weekend.", "Do you integrate with Outlook calendars?",
            "Our previous vendor kept raising the price.", "The team liked the demo last time."};
    private static final String[] FILLER_REP = {
            "Great to see you again.", "Happy to walk you through the dashboard.",
            "Our platform syncs contacts automatically and sends reminders.",
            "Pricing depends on the number of seats and the support plan.",
            "Most clients are live within six weeks.", "I will send a summary by email after the call.",
            "We can set up a sandbox for your team.", "Decision makers usually want to see the reporting module.",
            "Would it help if I prepared a business case?", "Let me note that down.",
            "We integrate with Outlook, Gmail and most calendars.", "Any other questions before we wrap up?",
            "I can loop in our security team for a call.", "Shall we book the next meeting for next week?"};

    /**
     * Share of questions that reuse a word of their answer. Real conversational question sets lean lexical
     * (BM25 beats MiniLM on them); two thirds keeps this set in that regime while leaving a third of pure paraphrases.
     */
    static final double LEXICAL_SHARE = 0.67;

    private ConversationDevSet() { }

    /** Generates the set for {@code companies} companies. */
    public static EvalSet generate(long seed, int companies) {
        var rnd = new Random(seed);
        var corpus = new ArrayList<EvalSet.Doc>();
        var queries = new ArrayList<EvalSet.Query>();
        var usedNames = new java.util.HashSet<String>();
        Instant day = Instant.parse("2026-01-05T09:00:00Z");
        for (int c = 0; c < companies; c++) {
            String company;
            do {
                company = pick(rnd, ADJ) + " " + pick(rnd, NOUN);
            } while (!usedNames.add(company));
            String person = pick(rnd, FIRST) + " " + pick(rnd, LAST);
            String slug = company.toLowerCase().replace(' ', '-');
            Object[] values = {
                    "$" + (15 + rnd.nextInt(90)) + "k",
                    person, pick(rnd, TITLES),
                    MONTHS[rnd.nextInt(12)] + " " + (1 + rnd.nextInt(28)),
                    person.split(" ")[0].toLowerCase() + "@" + slug + ".com",
                    pick(rnd, new String[] {"email", "Slack", "text message", "a weekly written summary"}),
                    pick(rnd, COMPETITORS)};
            int calls = 2 + rnd.nextInt(2);
            var facts = new ArrayList<>(List.of(Fact.values()));
            java.util.Collections.shuffle(facts, rnd);
            Map<Fact, String> factTurn = new LinkedHashMap<>();
            Map<Fact, String> factQuestion = new LinkedHashMap<>();
            int f = 0;
            for (int call = 1; call <= calls; call++) {
                day = day.plus(1 + rnd.nextInt(9), ChronoUnit.DAYS);
                String header = "[" + company + " call " + call + ", " + day.toString().substring(0, 10) + "] ";
                int turns = 14 + rnd.nextInt(7);
                int factsThisCall = call == calls ? facts.size() - f : facts.size() / calls;
                var factSlots = new java.util.TreeSet<Integer>();
                while (factSlots.size() < Math.min(factsThisCall, turns - 2)) factSlots.add(1 + rnd.nextInt(turns - 1));
                for (int t = 0; t < turns; t++) {
                    String id = slug + "-c" + call + "-t" + t;
                    String text;
                    if (factSlots.contains(t) && f < facts.size()) {
                        Fact fact = facts.get(f++);
                        String[] pair = fact.statements[rnd.nextInt(fact.statements.length)];
                        text = "lead: " + String.format(pair[0], values);
                        factTurn.put(fact, id);
                        factQuestion.put(fact, rnd.nextDouble() < LEXICAL_SHARE ? pair[1] : pick(rnd, fact.paraphrases));
                    } else {
                        text = t % 2 == 0 ? "rep: " + pick(rnd, FILLER_REP) : "lead: " + pick(rnd, FILLER_LEAD);
                    }
                    corpus.add(new EvalSet.Doc(id, header + text, Scope.GLOBAL, day.plus(t, ChronoUnit.MINUTES),
                            slug + "-c" + call));
                }
            }
            for (var e : factTurn.entrySet()) {
                queries.add(new EvalSet.Query(String.format(factQuestion.get(e.getKey()), company), Scope.GLOBAL,
                        Set.of(e.getValue())));
            }
        }
        return new EvalSet(List.copyOf(corpus), List.copyOf(queries));
    }

    /** Writes {@code corpus.jsonl} and {@code queries.jsonl} into {@code dir} (any generated set; scopes kept). */
    public static void write(EvalSet set, Path dir) throws IOException {
        Files.createDirectories(dir);
        var corpus = new StringBuilder();
        for (EvalSet.Doc d : set.corpus()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("id", d.id());
            m.put("text", d.text());
            if (!d.scope().equals(Scope.GLOBAL)) m.put("scope", d.scope().key());
            m.put("timestamp", d.timestamp().toString());
            if (d.conversation() != null) m.put("conversation", d.conversation());
            corpus.append(MemoryJson.write(m)).append('\n');
        }
        var queries = new StringBuilder();
        for (EvalSet.Query q : set.queries()) {
            var m = new LinkedHashMap<String, Object>();
            m.put("query", q.query());
            if (!q.scope().equals(Scope.GLOBAL)) m.put("scope", q.scope().key());
            if (!EvalSet.UNCATEGORISED.equals(q.category())) m.put("category", q.category());
            m.put("relevant", q.relevant().stream().sorted().toList());
            queries.append(MemoryJson.write(m)).append('\n');
        }
        Files.writeString(dir.resolve("corpus.jsonl"), corpus, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("queries.jsonl"), queries, StandardCharsets.UTF_8);
    }

    private static String pick(Random rnd, String[] options) { return options[rnd.nextInt(options.length)]; }
}
