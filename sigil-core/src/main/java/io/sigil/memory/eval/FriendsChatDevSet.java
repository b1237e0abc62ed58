package io.sigil.memory.eval;

import io.sigil.memory.Scope;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A deterministic generator of long multi-session chats between two friends, with questions whose answers sit in
 * known turns: the second development set for memory retrieval, built to behave like public conversational
 * benchmarks where BM25 beats MiniLM and naive reciprocal rank fusion lands below BM25.
 *
 * <p>Each conversation is its own scope ({@code user:chat-N}): about 16 sessions a few weeks apart, 14 to 24 turns
 * each, every turn one corpus entry {@code "Maya: I finally adopted a corgi puppy!"} with the session's date as
 * timestamp. Each friend has four life threads (a pet, a craft, a trip, a job...) whose three events are told in
 * order across the sessions, answered by the other friend ("A corgi puppy! Send pictures!") and surrounded by
 * chatter on the same subject and small talk. Questions ask about one event, reusing its specific words ("What did
 * Maya name the corgi puppy?") or paraphrasing it ("What is the name of Maya's new pet?"); some ask about a whole
 * thread (three relevant turns). Why vectors are weaker here: many turns of the same subject and the friend's
 * reactions sit close in meaning to the question, while the one rare word (the puppy's name, the city, the dish)
 * that BM25 weighs heavily is what singles out the answer. Same seed, same set.
 */
public final class FriendsChatDevSet {
    /** Share of event questions that reuse the event's specific words; the rest paraphrase. */
    static final double LEXICAL_SHARE = 0.5;
    /** Share of threads that also get a question about the whole thread. */
    static final double THREAD_QUESTION_SHARE = 0.3;
    static final int SESSIONS = 16;
    static final int THREADS_PER_FRIEND = 4;

    private static final String[] NAMES = {"Maya", "Jordan", "Caroline", "Melanie", "Ethan", "Priya", "Diego",
            "Hana", "Marcus", "Leila", "Tobias", "Nadia", "Owen", "Ines", "Kenji", "Rosa", "Felix", "Amara", "Jonah",
            "Clara"};

    /** One event of a thread: what the owner says, a question reusing its words, a paraphrased question. */
    private record Event(String statement, String lexical, String paraphrase) { }

    /**
     * A subject a friend talks about over months. {x} and {y} are the owner's specific details; {A} is the owner's
     * name. Chatter is the owner's talk on the subject without the details; reactions are the friend's answers.
     */
    private record Domain(String name, String[] x, String[] y, Event[] events, String thread, String[] chatter,
                          String[] reactions) { }

    private static Domain domain(String name, String[] x, String[] y, String thread, String[] chatter,
                                 String[] reactions, Event... events) {
        return new Domain(name, x, y, events, thread, chatter, reactions);
    }

    private static final List<Domain> DOMAINS = List.of(
            domain("pet", new String[] {"corgi puppy", "tabby kitten", "grey parrot", "lop-eared rabbit",
                            "beagle puppy", "border collie"},
                    new String[] {"Pixel", "Mochi", "Biscuit", "Pepper", "Olive", "Nugget", "Waffles", "Juniper"},
                    "What has {A} told you about {y} since getting it?",
                    new String[] {"{y} keeps stealing my socks, it's hilarious.", "Pets are the best stress relief, honestly.",
                            "I spent the whole morning at the pet store.", "Animals just make everything better.",
                            "I took {y} for a long walk by the river today.", "{y} fell asleep on my laptop again."},
                    new String[] {"Aww, a {x}! You have to send me pictures!", "Oh no, poor {y}! Glad it's okay now.",
                            "That's so sweet, I always wanted a pet.", "Give {y} a hug from me!"},
                    new Event("I finally adopted a {x} last weekend! We named it {y}.", "What did {A} name the {x}?",
                            "What is the name of {A}'s new pet?"),
                    new Event("{y} had to go to the vet on Tuesday after swallowing a sock, but the vet says all is fine.",
                            "Why did {y} have to go to the vet?", "What health scare did {A}'s animal have?"),
                    new Event("I signed {y} up for obedience training at the community center, we go every Thursday evening.",
                            "What training did {A} sign {y} up for?", "What does {A} do with their pet on Thursday evenings?")),
            domain("craft", new String[] {"pottery", "watercolor painting", "woodworking", "knitting", "stained glass",
                            "calligraphy"},
                    new String[] {"a blue vase", "a portrait of my grandmother", "a small bookshelf", "a scarf for my niece",
                            "a sun catcher", "a set of birthday cards"},
                    "How has {A}'s {x} hobby been going?",
                    new String[] {"Making things with my hands really calms me down.", "I spent all evening at my workbench again.",
                            "Art is how I deal with stress lately.", "I bought way too many supplies at the craft store.",
                            "Creating something from scratch feels so rewarding.", "I watched tutorials until midnight, oops."},
                    new String[] {"{x}? That's amazing, I could never do that.", "Wow, you're so talented!",
                            "An exhibition! That's huge, congrats!", "You have to show me your work sometime."},
                    new Event("I started a {x} class at the art studio downtown, it's every Monday night.",
                            "When is {A}'s {x} class?", "What new creative hobby did {A} pick up?"),
                    new Event("I just finished {y}! It took me three weekends but I'm so proud of it.",
                            "What did {A} finish after three weekends?", "What did {A} make recently?"),
                    new Event("The studio asked to show my {x} pieces in their spring exhibition!",
                            "Where will {A}'s {x} pieces be shown?", "What recognition did {A} get for their art?")),
            domain("sport", new String[] {"half marathon", "charity 10k", "triathlon", "open water swim",
                            "100-mile cycling tour"},
                    new String[] {"mental health awareness", "the children's hospital", "the animal shelter",
                            "cancer research", "clean oceans"},
                    "How did {A}'s {x} go from start to finish?",
                    new String[] {"I went for a run this morning before work.", "Exercise really clears my head.",
                            "My legs are still sore from the gym.", "I've been trying to stay active lately.",
                            "Nothing beats a good workout after a long day.", "I'm eating so much pasta these days, training hunger."},
                    new String[] {"A {x}? You're crazy, in the best way!", "Take care of that knee, rest is important!",
                            "That's incredible, so proud of you!", "I'll come cheer for you at the finish line!"},
                    new Event("I signed up for a {x} to raise money for {y}!", "What did {A} sign up for to raise money?",
                            "What athletic event is {A} preparing for?"),
                    new Event("Training for the {x} is brutal, I twisted my knee on a trail on Sunday.",
                            "How did {A} twist their knee?", "What injury did {A} get?"),
                    new Event("I finished the {x}! Crossed the line in just under two hours and raised $800 for {y}.",
                            "How much money did {A} raise for {y}?", "How did {A}'s big race turn out?")),
            domain("travel", new String[] {"Lisbon", "Kyoto", "Reykjavik", "Marrakech", "Vancouver", "Prague",
                            "Cape Town"},
                    new String[] {"a cooking class", "a hot air balloon ride", "a whale watching tour", "a night food market",
                            "a hike to a glacier"},
                    "What happened on {A}'s trip to {x}?",
                    new String[] {"I really need a vacation soon.", "Traveling always changes my perspective.",
                            "I've been looking at plane tickets way too much.", "There's nothing like exploring a new place.",
                            "Jet lag is the worst part of every trip.", "I still have sand in my suitcase from the last trip."},
                    new String[] {"{x}! I've always wanted to go there.", "That sounds unforgettable!",
                            "Oh no, that sounds so stressful!", "Bring me back a souvenir!"},
                    new Event("We just booked flights to {x} for next month!", "Where did {A} book flights to?",
                            "Where is {A} going on vacation?"),
                    new Event("The highlight of {x} was {y}, I'll never forget it.", "What was the highlight of {A}'s time in {x}?",
                            "What was {A}'s favorite part of the trip?"),
                    new Event("I lost my passport on the last day in {x} and almost missed my flight home.",
                            "What did {A} lose in {x}?", "What went wrong at the end of {A}'s vacation?")),
            domain("work", new String[] {"nurse", "software engineer", "teacher", "accountant", "graphic designer", "chef"},
                    new String[] {"a small startup", "the city hospital", "a design agency", "a family bakery",
                            "a school in the suburbs"},
                    "How is {A}'s job as a {x} going?",
                    new String[] {"Work has been exhausting this week.", "I stayed late at the office again.",
                            "Honestly I just need a break from emails.", "My coworkers are lovely though.",
                            "Mondays are rough.", "I finally cleared my inbox, small victories."},
                    new String[] {"Congrats on the new job!", "Ugh, 7am meetings should be illegal.",
                            "Team lead! You totally deserve it.", "They're lucky to have you."},
                    new Event("Big news: I accepted an offer to work as a {x} at {y}.", "What offer did {A} accept?",
                            "What is {A}'s new job?"),
                    new Event("My new manager keeps scheduling meetings at 7am, it's driving me nuts.",
                            "What does {A}'s manager keep scheduling?", "What is frustrating {A} at work?"),
                    new Event("I got promoted to team lead after only eight months!", "What was {A} promoted to?",
                            "How has {A}'s career progressed?")),
            domain("family", new String[] {"sister", "brother", "cousin", "mom", "grandpa"},
                    new String[] {"wedding", "graduation", "60th birthday party", "retirement party"},
                    "What has been going on with {A}'s {x}?",
                    new String[] {"Family stuff is always complicated.", "We had a big family dinner on Sunday.",
                            "I called my parents this morning.", "Holidays with my family are loud but fun.",
                            "I miss my relatives who live far away.", "My aunt sent me the sweetest letter."},
                    new String[] {"That's so sweet!", "I bet it was beautiful.", "That's generous of you.",
                            "Family is everything."},
                    new Event("My {x}'s {y} is next month and I'm in charge of the decorations.",
                            "What is {A} in charge of for the {y}?", "What is {A} helping to plan for a relative?"),
                    new Event("I cried during my speech at my {x}'s {y}, everyone was laughing and crying with me.",
                            "What happened during {A}'s speech?", "How did {A}'s toast go?"),
                    new Event("My {x} is moving in with me for a few months while looking for an apartment.",
                            "Who is moving in with {A}?", "Who is {A} sharing their home with now?")),
            domain("cooking", new String[] {"lasagna", "sourdough bread", "Thai green curry", "ramen", "apple pie",
                            "paella"},
                    new String[] {"a neighborhood potluck", "the office bake sale", "a street fair"},
                    "How has {A}'s {x} cooking been going?",
                    new String[] {"I'm so hungry right now haha.", "Cooking at home saves so much money.",
                            "I tried a new restaurant downtown.", "Nothing beats a home-cooked meal.",
                            "I spent the afternoon meal prepping.", "My kitchen is a disaster after dinner."},
                    new String[] {"Save me some!", "First prize, wow!", "Ouch! Take care of that hand.",
                            "You should open a restaurant."},
                    new Event("I've been trying to perfect my {x} recipe, third attempt this week.",
                            "What recipe is {A} trying to perfect?", "What dish has {A} been practicing?"),
                    new Event("My {x} won first prize at {y}!", "What won first prize at {y}?",
                            "What cooking award did {A} win?"),
                    new Event("I burned my hand on the oven while making {x}, so no cooking for a while.",
                            "How did {A} burn their hand?", "Why can't {A} cook for a while?")),
            domain("music", new String[] {"guitar", "piano", "violin", "drums", "ukulele", "cello"},
                    new String[] {"Coldplay", "Fleetwood Mac", "Florence and the Machine", "Radiohead", "Taylor Swift"},
                    "How is {A} getting on with the {x}?",
                    new String[] {"I've had the same song stuck in my head all day.", "Music really gets me through the week.",
                            "I made a new playlist for my commute.", "Live music is the best.",
                            "I practiced for an hour last night.", "My neighbors probably hate me by now, lol."},
                    new String[] {"That's awesome, play something for me sometime!", "I'm so jealous!",
                            "Open mic takes guts!", "You're going to be great."},
                    new Event("I started taking {x} lessons again after ten years!", "What lessons did {A} start again?",
                            "What instrument is {A} learning?"),
                    new Event("We went to see {y} live last Friday, best concert of my life.",
                            "Who did {A} see live last Friday?", "Which concert did {A} go to?"),
                    new Event("I played {x} at an open mic night for the first time, my hands were shaking.",
                            "Where did {A} play {x} for the first time?", "How did {A}'s first public performance go?")),
            domain("books", new String[] {"The Night Circus", "Project Hail Mary", "Circe", "The Overstory", "Piranesi"},
                    new String[] {"my grandfather's farm", "a lighthouse keeper", "a girl who talks to birds"},
                    "What has {A} said about reading and writing lately?",
                    new String[] {"I fell asleep reading again last night.", "The library near me just reopened.",
                            "I need new recommendations.", "Reading before bed helps me relax.",
                            "I have a huge pile of unread books.", "I finally got a library card again."},
                    new String[] {"Ooh, I've heard great things about {x}.", "A book club sounds so fun!",
                            "That's a beautiful idea for a story.", "Lend it to me when you're done!"},
                    new Event("I'm reading {x} right now and I can't put it down.", "What book can't {A} put down?",
                            "What is {A} reading these days?"),
                    new Event("I started a book club with my neighbors, our first pick was {x}.",
                            "What was the first pick of {A}'s book club?", "What group did {A} start with the neighbors?"),
                    new Event("I'm writing a short story about {y}, hoping to submit it to a magazine.",
                            "What is {A}'s short story about?", "What is {A} writing?")),
            domain("home", new String[] {"the kitchen", "the attic", "a treehouse for the kids", "the bathroom"},
                    new String[] {"tomatoes", "roses", "sunflowers", "strawberries", "lavender"},
                    "What has {A} been doing around the house?",
                    new String[] {"Home improvement stores are dangerous for my wallet.", "I spent the weekend cleaning.",
                            "Our place finally feels like home.", "I love my little backyard.",
                            "The neighbors are renovating too, so noisy.", "I rearranged the living room furniture again."},
                    new String[] {"Can't wait to see how it turns out!", "Lucky you, fresh from the garden!",
                            "Oh no, glad you're safe!", "Send me before and after photos."},
                    new Event("We're finally renovating {x}, it's chaos but exciting.", "What is {A} renovating?",
                            "What home project is {A} working on?"),
                    new Event("I planted {y} in the backyard and they're already sprouting!",
                            "What did {A} plant in the backyard?", "What is growing in {A}'s garden?"),
                    new Event("A storm knocked a tree onto our fence last night, we're okay but the yard is a mess.",
                            "What did the storm knock onto {A}'s fence?", "What damage did {A}'s house take?")),
            domain("volunteer", new String[] {"the animal shelter", "a food bank", "a youth center", "a hospice",
                            "the literacy program at the library"},
                    new String[] {"social work", "nursing", "psychology", "education"},
                    "What has {A} shared about volunteering at {x}?",
                    new String[] {"Giving back feels really good.", "I met some amazing people this weekend.",
                            "Helping others puts my problems in perspective.", "It was a long but meaningful day.",
                            "I'm exhausted but happy.", "We need more people to sign up, honestly."},
                    new String[] {"That's so kind of you.", "300 donations, that's amazing!",
                            "You'd be great at that.", "The world needs more people like you."},
                    new Event("I started volunteering at {x} every Saturday morning.", "Where does {A} volunteer on Saturdays?",
                            "How does {A} give back to the community?"),
                    new Event("At {x} we organized a fundraiser and collected over 300 donations.",
                            "How many donations did the fundraiser at {x} collect?", "How successful was {A}'s fundraising event?"),
                    new Event("Volunteering at {x} made me realize I want to study {y}.", "What does {A} want to study?",
                            "How did volunteering change {A}'s plans?")));

    private static final String[] GREETINGS = {"Hey! Long time no see, how have you been?", "Hi! How's your week going?",
            "Hey you! What's new?", "Good morning! Got a minute to catch up?", "Hiya! It's been a while!"};
    private static final String[] SMALL_TALK = {"Haha, totally.", "That's so true.", "I know, right?",
            "Anyway, what's new with you?", "Not much, just busy with everything.", "It's been a crazy week honestly.",
            "Same here, the weather has been awful.", "Thanks, that means a lot.", "I'm so happy for you!",
            "Honestly, same.", "Tell me more!", "Oh wow, really?", "That makes sense.", "Life has been a rollercoaster.",
            "I've been sleeping so badly lately.", "We should get coffee soon.", "Ha, you always say that!"};
    private static final String[] GOODBYES = {"Talk soon! Take care.", "Gotta run, catch up later!",
            "Good night! Chat next week.", "Bye! Let's not wait so long next time.", "Take care of yourself!"};
    private static final String[] INTERJECTIONS = {"Honestly? ", "Haha. ", "Ugh. ", "Oh! ", "Okay. ",
            "Lol. ", "Not gonna lie. "};
    private static final String[] OPENERS = {"Oh, before I forget: ", "So, big news! ", "Things have been hectic. ",
            "Okay so ", "You won't believe it. "};

    /** A friend's thread: a domain with that friend's details, and its three events' turn ids once placed. */
    private record Thread(int owner, Domain domain, String x, String y, String[] turnIds) { }

    private FriendsChatDevSet() { }

    /** Generates {@code conversations} chats, each in scope {@code user:chat-N}. */
    public static EvalSet generate(long seed, int conversations) {
        var rnd = new Random(seed);
        var corpus = new ArrayList<EvalSet.Doc>();
        var queries = new ArrayList<EvalSet.Query>();
        LocalDate start = LocalDate.of(2023, 1, 9);
        for (int c = 1; c <= conversations; c++) {
            var names = new ArrayList<>(List.of(NAMES));
            Collections.shuffle(names, rnd);
            String[] friends = {names.get(0), names.get(1)};
            Scope scope = Scope.parse("user:chat-" + c);
            var threads = threads(rnd);
            // Each thread's three events go into three different sessions, in order.
            List<List<int[]>> bySession = new ArrayList<>();
            for (int s = 0; s < SESSIONS; s++) bySession.add(new ArrayList<>());
            for (int t = 0; t < threads.size(); t++) {
                var sessions = new ArrayList<Integer>();
                for (int s = 0; s < SESSIONS; s++) sessions.add(s);
                Collections.shuffle(sessions, rnd);
                var chosen = sessions.subList(0, 3).stream().sorted().toList();
                for (int e = 0; e < 3; e++) bySession.get(chosen.get(e)).add(new int[] {t, e});
            }
            LocalDate day = start.plusDays(rnd.nextInt(60));
            for (int s = 0; s < SESSIONS; s++) {
                day = day.plusDays(5 + rnd.nextInt(20));
                session(rnd, c, s + 1, day, friends, scope, threads, bySession.get(s), corpus);
            }
            for (Thread th : threads) {
                String owner = friends[th.owner()];
                for (int e = 0; e < 3; e++) {
                    Event ev = th.domain().events()[e];
                    String q = rnd.nextDouble() < LEXICAL_SHARE ? ev.lexical() : ev.paraphrase();
                    queries.add(new EvalSet.Query(fill(q, owner, th), scope, Set.of(th.turnIds()[e])));
                }
                if (rnd.nextDouble() < THREAD_QUESTION_SHARE) {
                    queries.add(new EvalSet.Query(fill(th.domain().thread(), owner, th), scope,
                            Set.of(th.turnIds())));
                }
            }
        }
        return new EvalSet(List.copyOf(corpus), List.copyOf(queries));
    }

    private static List<Thread> threads(Random rnd) {
        var out = new ArrayList<Thread>();
        for (int owner = 0; owner < 2; owner++) {
            var domains = new ArrayList<>(DOMAINS);
            Collections.shuffle(domains, rnd);
            for (Domain d : domains.subList(0, THREADS_PER_FRIEND)) {
                out.add(new Thread(owner, d, pick(rnd, d.x()), pick(rnd, d.y()), new String[3]));
            }
        }
        return out;
    }

    /** One session: greetings, the events due with the friend's reactions, chatter and small talk, goodbyes. */
    private static void session(Random rnd, int conversation, int number, LocalDate day, String[] friends, Scope scope,
                                List<Thread> threads, List<int[]> events, List<EvalSet.Doc> corpus) {
        var pending = new ArrayList<>(events);
        int turns = 14 + rnd.nextInt(11);
        int first = rnd.nextInt(2);
        Instant time = day.atTime(9 + rnd.nextInt(11), rnd.nextInt(60)).toInstant(ZoneOffset.UTC);
        int[] lastEvent = null;
        int lastEventSpeaker = -1;
        for (int t = 0; t < turns || !pending.isEmpty(); t++) {
            int speaker = (first + t) % 2;
            String text;
            String id = "chat" + conversation + "-s" + number + "-t" + t;
            int[] due = ownEvent(pending, threads, speaker);
            long dueForSpeaker = pending.stream().filter(p -> threads.get(p[0]).owner() == speaker).count();
            boolean forced = dueForSpeaker > 0 && (turns - t) / 2 <= dueForSpeaker + 1;
            if (lastEvent != null && lastEventSpeaker != speaker) {
                Thread th = threads.get(lastEvent[0]);
                text = fill(pick(rnd, th.domain().reactions()), friends[th.owner()], th);
                lastEvent = null;
            } else if (t < 2) {
                text = pick(rnd, GREETINGS);
                if (t == 1) text = pick(rnd, SMALL_TALK);
            } else if (due != null && (forced || rnd.nextDouble() < 0.35)) {
                pending.remove(due);
                Thread th = threads.get(due[0]);
                text = fill(th.domain().events()[due[1]].statement(), friends[speaker], th);
                double dilute = rnd.nextDouble();
                if (dilute < 0.3) text = pick(rnd, OPENERS) + text;
                else if (dilute < 0.55) text = text + " " + chatter(rnd, threads, speaker, friends);
                th.turnIds()[due[1]] = id;
                lastEvent = due;
                lastEventSpeaker = speaker;
            } else if (t >= turns - 2 && pending.isEmpty()) {
                text = pick(rnd, GOODBYES);
            } else {
                text = rnd.nextDouble() < 0.65 ? chatter(rnd, threads, speaker, friends)
                        : rnd.nextDouble() < 0.5 ? pick(rnd, SMALL_TALK)
                        : pick(rnd, SMALL_TALK) + " " + chatter(rnd, threads, speaker, friends);
            }
            corpus.add(new EvalSet.Doc(id, friends[speaker] + ": " + text, scope, time,
                    "chat" + conversation + "-s" + number));
            time = time.plus(1 + rnd.nextInt(3), ChronoUnit.MINUTES);
        }
    }

    private static int[] ownEvent(List<int[]> pending, List<Thread> threads, int speaker) {
        for (int[] p : pending) if (threads.get(p[0]).owner() == speaker) return p;
        return null;
    }

    /**
     * A turn of talk about the speaker's own life: one or two sentences from their threads, sometimes after an
     * interjection, so that turns vary as in real chats instead of repeating verbatim.
     */
    private static String chatter(Random rnd, List<Thread> threads, int speaker, String[] friends) {
        var own = threads.stream().filter(th -> th.owner() == speaker).toList();
        Thread th = own.get(rnd.nextInt(own.size()));
        String text = fill(pick(rnd, th.domain().chatter()), friends[speaker], th);
        if (rnd.nextDouble() < 0.5) {
            Thread other = own.get(rnd.nextInt(own.size()));
            String second = fill(pick(rnd, other.domain().chatter()), friends[speaker], other);
            if (!second.equals(text)) text = text + " " + second;
        }
        if (rnd.nextDouble() < 0.3) text = pick(rnd, INTERJECTIONS) + text;
        return text;
    }

    private static String fill(String template, String owner, Thread th) {
        return template.replace("{A}", owner).replace("{x}", th.x()).replace("{y}", th.y());
    }

    private static String pick(Random rnd, String[] options) { return options[rnd.nextInt(options.length)]; }
}
