#!/usr/bin/env python3
"""Writes the "weeks" memory dev set: multi-session chats between two friends over about ten weeks, with plans,
changes of mind and outcomes, and evidence-labelled questions in four categories (single-hop, multi-hop, temporal,
open-domain). Deterministic per seed; no model is involved (templates and a seeded random generator).

With the corpus and queries.jsonl it writes queries-time.jsonl: questions about the same chats that use relative
cues ("last week", "three weeks ago", "in the past 10 days") or event anchors ("before Nora's trip to Porto"), each
with its own asked_at (after the chat's last session, so no turn lies in the question's future). They come from a
separate random stream, so queries.jsonl and corpus.jsonl are the same as before they existed.

usage: python3 eval/tools/make_weeks.py OUT_DIR [--seed N] [--chats N]
"""
import argparse, datetime, json, os, random

NAMES = ["Nora", "Leo", "Priya", "Tomas", "Hana", "Marcus", "Ines", "Dev", "Sofia", "Jonah", "Mei", "Ruben",
         "Alice", "Omar", "Greta", "Kenji", "Lucia", "Felix", "Zara", "Ivan", "Elif", "Sam", "Ada", "Bruno"]

# Each thread: plan -> change of mind -> outcome, told by its owner in three different sessions. A change is often a
# reply to the friend's question (the question names the subject, the reply does not), as in real chats.
# Slot values come in tuples so the open-domain question can use a fact the text does not state.
THREADS = {
  "trip": dict(
    slots=[("Lisbon", "Porto", "Portugal", "the port cellars"), ("Kyoto", "Osaka", "Japan", "the street food"),
           ("Edinburgh", "Glasgow", "Scotland", "the music venues"), ("Barcelona", "Valencia", "Spain", "the paella"),
           ("Munich", "Vienna", "Austria", "the coffee houses"), ("Split", "Dubrovnik", "Croatia", "the city walls")],
    plan="I'm thinking of going to {0} for a week in {month}, just me and a backpack.",
    ask="How is the {0} trip planning going?",
    change="Oh, that's off. Flights were silly, so we booked {1} instead.",
    outcome="Back from {1}! Honestly {3} were the best part.",
    q=[("single-hop", "Why did {P} drop the idea of going to {0}?", ["change"]),
       ("single-hop", "Which city did {P} book after all?", ["change"]),
       ("multi-hop", "What did {P} enjoy most in the city {P} picked instead of {0}?", ["change", "outcome"]),
       ("temporal", "When did {P} get back from the trip?", ["outcome"]),
       ("temporal", "What did {P} say about travel plans in {m_plan}?", ["plan"]),
       ("open-domain", "Which country did {P} end up visiting?", ["change", "outcome"])]),
  "pet": dict(
    slots=[("beagle", "kitten", "Miso", "feline"), ("husky", "rabbit", "Clover", "rodent-like lagomorph"),
           ("corgi", "tabby cat", "Pepper", "feline"), ("poodle", "parrot", "Kiwi", "bird"),
           ("labrador", "guinea pig", "Biscuit", "rodent")],
    plan="We've been looking at {0} puppies, I think we're finally getting a dog.",
    ask="Did you get the {0} puppy in the end?",
    change="No, we changed our minds. We adopted a {1} from the shelter, called {2}.",
    outcome="{2} finally sleeps through the night and has taken over the sofa.",
    q=[("single-hop", "What is the name of {P}'s new pet?", ["change"]),
       ("single-hop", "What kind of dog was {P} considering?", ["plan"]),
       ("multi-hop", "How is the animal {P} adopted instead of the {0} settling in?", ["change", "outcome"]),
       ("temporal", "When did {P} decide against getting a dog?", ["change"]),
       ("temporal", "What was {P} thinking about adopting in {m_plan}?", ["plan"]),
       ("open-domain", "Is {P}'s new pet a {3}?", ["change"])]),
  "class": dict(
    slots=[("pottery", "watercolour", "clay", "paint"), ("salsa", "bouldering", "dancing", "climbing"),
           ("guitar", "piano", "strings", "keys"), ("French", "Italian", "Paris", "Rome"),
           ("woodworking", "bookbinding", "timber", "paper")],
    plan="I signed up for a {0} course on Thursday evenings, first session next week.",
    ask="How are the {0} lessons going?",
    change="I quit after two lessons, to be honest. Switched to {1}, much more my thing.",
    outcome="My {1} teacher said my last piece was the best in the group!",
    q=[("single-hop", "What course did {P} sign up for first?", ["plan"]),
       ("single-hop", "What did {P}'s teacher praise?", ["outcome"]),
       ("multi-hop", "How is {P} doing in the class {P} took up after quitting {0}?", ["change", "outcome"]),
       ("temporal", "When did {P} quit the {0} lessons?", ["change"]),
       ("temporal", "What evening class did {P} mention in {m_plan}?", ["plan"]),
       ("open-domain", "Which of {P}'s hobbies involves {3}?", ["change", "outcome"])]),
  "job": dict(
    slots=[("Brightline", "a data analyst", "spreadsheets"), ("Northwind", "a product designer", "prototypes"),
           ("Harbor Labs", "a lab technician", "microscopes"), ("Cobalt Bank", "a risk analyst", "loans"),
           ("Fable Games", "a level designer", "video games")],
    plan="I've got an interview at {0} next Tuesday, for {1} role.",
    ask="Any news from {0}?",
    change="They offered it, but I said no. My boss matched it with a raise, so I'm staying.",
    outcome="The raise kicked in this month, and I got my own team too.",
    q=[("single-hop", "Where did {P} have a job interview?", ["plan"]),
       ("single-hop", "Why did {P} turn down the offer?", ["change"]),
       ("multi-hop", "What happened after {P} declined the {0} offer?", ["change", "outcome"]),
       ("temporal", "When did {P} turn down the {0} job?", ["change"]),
       ("temporal", "What interview did {P} have coming up in {m_plan}?", ["plan"]),
       ("open-domain", "Would {P}'s possible new job have involved {2}?", ["plan"])]),
  "home": dict(
    slots=[("Riverside", "Old Town", "a river view"), ("Hillcrest", "the harbour", "a garden"),
           ("Eastgate", "Northfield", "a balcony"), ("the Docklands", "Westbrook", "a fireplace")],
    plan="We're viewing flats in {0} this weekend, fingers crossed.",
    ask="Did anything come of the flats in {0}?",
    change="We gave up on it, way too pricey. Signed a lease near {1} instead, the one with {2}.",
    outcome="Moving day was chaos. The sofa didn't fit through the door and we had to take the legs off.",
    q=[("single-hop", "Where did {P} sign a lease?", ["change"]),
       ("single-hop", "What went wrong on {P}'s moving day?", ["outcome"]),
       ("multi-hop", "What does the flat {P} rented instead of one in {0} have?", ["plan", "change"]),
       ("temporal", "When did {P} move house?", ["outcome"]),
       ("temporal", "Which neighbourhood was {P} looking at in {m_plan}?", ["plan"]),
       ("open-domain", "Did {P} have trouble with furniture when relocating?", ["outcome"])]),
  "race": dict(
    slots=[("half marathon", "knee", "swimming", "pool"), ("10k", "ankle", "cycling", "bike"),
           ("marathon", "hamstring", "rowing", "boat"), ("trail race", "hip", "yoga", "mat")],
    plan="I'm training for a {0} in {month_next}, running four times a week.",
    ask="How's the {0} training?",
    change="Hurt my {1} last week, so no running for a while. I've switched to {2} for now.",
    outcome="Did my first proper {2} session without any pain, so happy.",
    q=[("single-hop", "What race was {P} training for?", ["plan"]),
       ("single-hop", "What injury did {P} get?", ["change"]),
       ("multi-hop", "How is {P} getting on with the sport that replaced running?", ["change", "outcome"]),
       ("temporal", "When did {P} get injured?", ["change"]),
       ("temporal", "How often was {P} running in {m_plan}?", ["plan"]),
       ("open-domain", "Does {P}'s current exercise need a {3}?", ["change", "outcome"])]),
  "family": dict(
    slots=[("sister", "Ella", "twins"), ("brother", "Max", "a new baby"), ("cousin", "Rosa", "a wedding"),
           ("dad", "Walter", "a retirement party")],
    plan="My {0} {1} is coming to stay in {month_next}, I need to clear the spare room.",
    ask="Is {1} still coming over?",
    change="Not until later now, {1} had to push it back because of {2}.",
    outcome="{1} was here all weekend, we barely slept but it was lovely.",
    q=[("single-hop", "Who is coming to stay with {P}?", ["plan"]),
       ("single-hop", "Why was {P}'s family visit delayed?", ["change"]),
       ("multi-hop", "How did the postponed visit from {P}'s {0} go?", ["change", "outcome"]),
       ("temporal", "When did {1} finally visit {P}?", ["outcome"]),
       ("temporal", "Which relative did {P} say would visit, in {m_plan}?", ["plan"]),
       ("open-domain", "Does {P} have a sibling or a parent visiting?", ["plan"])]),
}

REACTIONS = ["Oh nice, tell me more!", "No way! That's huge.", "Ha, I knew it.", "That sounds amazing.",
             "Oh no, sorry to hear that.", "Fair enough, good call.", "Send me pictures!", "Wow, big change."]
SMALL = ["Morning! Coffee first, then I'm human.", "It's been raining all week here.", "I'm so tired today.",
         "Did you watch the match last night?", "Work is busy but fine.", "Same old, same old.",
         "I made soup again, very exciting life.", "My phone keeps dying, I need a new one.",
         "The neighbours are painting their fence bright green.", "Traffic was awful this morning."]
CHATTER = {  # on-topic noise: words of the threads without their facts
  "trip": ["I'd love a holiday soon, somewhere warm.", "Flights are so expensive this year.", "Do you still have that travel guide?"],
  "pet": ["The dog next door barked all night.", "Animals make everything better.", "I saw the cutest puppy at the park."],
  "class": ["I keep meaning to learn something new.", "Evening classes are hard after work.", "My teacher at school used to say that."],
  "job": ["Work was manic today.", "My boss is on holiday, so it's quiet.", "I hate job interviews, always so nervous."],
  "home": ["Rent keeps going up everywhere.", "I need to tidy my flat this weekend.", "Our landlord finally fixed the boiler."],
  "race": ["I should run more, honestly.", "My legs are sore from the stairs.", "The gym was packed yesterday."],
  "family": ["My mum called again, twice.", "Family weekends are exhausting.", "We have a big family dinner coming up."],
}
GREET = ["Hey! How was your week?", "Hi you! Long time.", "Hello! Got a minute?", "Hey, how are things?"]
BYE = ["Gotta run, talk soon!", "Okay, bedtime for me. Bye!", "Speak next week!", "Catch you later!"]


def fill(t, slot, month=None, month_next=None, **kw):
    return t.format(*slot, month=month or "", month_next=month_next or "", **kw)


def generate(seed, chats):
    rnd = random.Random(seed)
    corpus, queries, chats_out = [], [], []
    names = NAMES[:]
    rnd.shuffle(names)
    for c in range(1, chats + 1):
        a, b = names[(2 * c) % len(names)], names[(2 * c + 1) % len(names)]
        scope = f"user:weeks-{c}"
        start = datetime.datetime(2025, 1, 6, 19, 0, tzinfo=datetime.timezone.utc) + datetime.timedelta(days=rnd.randint(0, 120))
        sessions = 10
        dates, d = [], start
        for s in range(sessions):
            dates.append(d)
            d += datetime.timedelta(days=rnd.randint(4, 11), minutes=rnd.randint(-90, 90))
        kinds = rnd.sample(sorted(THREADS), 6)
        threads = []
        for i, kind in enumerate(kinds):
            owner = a if i % 2 == 0 else b
            s1 = rnd.randint(0, 3)
            s2 = rnd.randint(s1 + 2, min(s1 + 4, sessions - 3))
            s3 = rnd.randint(s2 + 1, sessions - 1)
            threads.append(dict(kind=kind, owner=owner, friend=b if owner == a else a,
                                slot=rnd.choice(THREADS[kind]["slots"]), at={"plan": s1, "change": s2, "outcome": s3},
                                ids={}))
        for s in range(sessions):
            conv = f"weeks{c}-s{s + 1}"
            when = dates[s]
            month = when.strftime("%B")
            month_next = (when + datetime.timedelta(days=35)).strftime("%B")
            turns = []  # (speaker, text, tag)
            speaker = rnd.choice([a, b])
            turns.append((speaker, rnd.choice(GREET), None))
            due = [(t, step) for t in threads for step in ("plan", "change", "outcome") if t["at"][step] == s]
            rnd.shuffle(due)
            filler_slots = rnd.randint(8, 14)
            body = [("event", x) for x in due] + [("filler", None)] * filler_slots
            rnd.shuffle(body)
            for kind, x in body:
                if kind == "filler":
                    sp = rnd.choice([a, b])
                    pool = CHATTER[rnd.choice(threads)["kind"]] if rnd.random() < 0.5 else SMALL
                    text = rnd.choice([x for x in pool if x != turns[-1][1]])
                    turns.append((sp, text, None))
                    continue
                t, step = x
                spec = THREADS[t["kind"]]
                text = fill(spec[step], t["slot"], month, month_next)
                if step == "change" and rnd.random() < 0.7:  # the friend asks, the owner answers without naming it
                    turns.append((t["friend"], fill(spec["ask"], t["slot"]), None))
                turns.append((t["owner"], text, (t, step)))
                turns.append((t["friend"], rnd.choice(REACTIONS), None))
                t.setdefault("months", {})[step] = month
            turns.append((rnd.choice([a, b]), rnd.choice(BYE), None))
            for i, (sp, text, tag) in enumerate(turns):
                tid = f"weeks{c}-s{s + 1}-t{i}"
                ts = when + datetime.timedelta(minutes=2 * i)
                corpus.append({"id": tid, "text": f"{sp}: {text}", "scope": scope,
                               "timestamp": ts.strftime("%Y-%m-%dT%H:%M:%SZ"), "conversation": conv})
                if tag:
                    tag[0]["ids"][tag[1]] = tid
        chats_out.append(dict(scope=scope, dates=dates, threads=threads))
        for t in threads:
            spec = THREADS[t["kind"]]
            for cat, q, steps in spec["q"]:
                text = q.format(*t["slot"], P=t["owner"], m_plan=t["months"]["plan"])
                queries.append({"query": text, "scope": scope, "category": cat,
                                "relevant": sorted(t["ids"][st] for st in steps)})
    return corpus, queries, chats_out


# Time questions. A topic names a thread without its facts, so the three turns of a thread (and the chatter) all
# match it and only the time tells them apart.
TOPIC = {"trip": "travel", "pet": "getting a pet", "class": "the evening classes", "job": "the job hunt",
         "home": "finding a flat", "race": "running", "family": "the family visit"}
ASK = ["What did {P} say about {topic} {cue}?", "What was {P}'s news about {topic} {cue}?"]
# The event a thread offers as an anchor for other threads' questions: its step and how a friend would name it.
ANCHOR = {"trip": ("outcome", "{O}'s trip to {1}"), "pet": ("change", "the adoption of {2}"),
          "class": ("change", "{O}'s switch to {1}"), "job": ("change", "the {0} offer"),
          "home": ("outcome", "{O}'s moving day"), "race": ("change", "{O}'s {1} injury"),
          "family": ("outcome", "{1}'s visit")}
NUMBER = ["", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
DAY = datetime.timedelta(days=1)


def day_start(t):
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def relative_cues(asked):
    """(phrase, from, to) for the cues the parser knows, with the spans TemporalCue.RelativeWindow gives them."""
    today = day_start(asked)
    monday = today - datetime.timedelta(days=today.weekday())
    month1 = today.replace(day=1)
    now = asked + datetime.timedelta(seconds=1)
    cues = [("yesterday", today - DAY, today), ("this week", monday, now), ("last week", monday - 7 * DAY, now),
            ("last month", (month1 - DAY).replace(day=1), now)]
    for n in range(2, 11):
        cues.append((f"{NUMBER[n]} days ago" if n % 2 else f"{n} days ago", today - n * DAY, today - (n - 1) * DAY))
        cues.append((f"{NUMBER[n]} weeks ago", monday - 7 * n * DAY, monday - 7 * (n - 1) * DAY))
        cues.append((f"in the past {n} weeks", asked - 7 * n * DAY, now))
    for n in (10, 12, 14, 20):
        cues.append((f"in the past {n} days", asked - n * DAY, now))
    m = month1
    for n in range(1, 4):
        m_end = m
        m = (m - DAY).replace(day=1)
        cues.append((("a month ago" if n == 1 else f"{NUMBER[n]} months ago"), m, m_end))
    return cues


def time_questions(seed, chats):
    rnd = random.Random(seed * 7919 + 17)  # not the corpus's stream: the committed corpus and queries stay as they were
    out = []
    for chat in chats:
        scope, dates, threads = chat["scope"], chat["dates"], chat["threads"]
        at = lambda t, step: dates[t["at"][step]]
        for t in threads:  # one relative-cue question per thread
            asked = dates[-1] + datetime.timedelta(days=rnd.randint(1, 8), hours=rnd.randint(-5, 5))
            steps = ["plan", "change", "outcome"]
            rnd.shuffle(steps)
            for step in steps:
                others = [at(t, s) for s in ("plan", "change", "outcome") if s != step]
                ok = [c for c in relative_cues(asked)
                      if c[1] <= at(t, step) < c[2] and not any(c[1] <= o < c[2] for o in others)]
                if ok:
                    cue = rnd.choice(ok)[0]
                    out.append({"query": rnd.choice(ASK).format(P=t["owner"], topic=TOPIC[t["kind"]], cue=cue),
                                "scope": scope, "category": "relative", "asked_at": asked.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                "relevant": [t["ids"][step]]})
                    break
        for t in threads:  # one event-anchor question per thread, anchored on another thread's event
            asked = dates[-1] + datetime.timedelta(days=rnd.randint(1, 8), hours=rnd.randint(-5, 5))
            options = []
            for a in threads:
                if a is t:
                    continue
                step, phrase = ANCHOR[a["kind"]]
                anchor_day = day_start(at(a, step))
                before = [s for s in ("plan", "change", "outcome") if at(t, s) < anchor_day]
                after = [s for s in ("plan", "change", "outcome") if at(t, s) >= anchor_day + DAY]
                name = phrase.format(*a["slot"], O=a["owner"])
                if before and len(before) < 3:
                    options.append(("before", name, before, a["ids"][step]))
                if after and len(after) < 3:
                    options.append(("after", name, after, a["ids"][step]))
            if options:
                word, name, steps, anchor_id = rnd.choice(options)
                out.append({"query": rnd.choice(ASK).format(P=t["owner"], topic=TOPIC[t["kind"]], cue=f"{word} {name}"),
                            "scope": scope, "category": "anchor", "asked_at": asked.strftime("%Y-%m-%dT%H:%M:%SZ"),
                            "relevant": sorted(t["ids"][s] for s in steps), "anchor_turn": anchor_id})
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--chats", type=int, default=10)
    args = ap.parse_args()
    corpus, queries, chats = generate(args.seed, args.chats)
    timed = time_questions(args.seed, chats)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "corpus.jsonl"), "w") as f:
        for d in corpus:
            f.write(json.dumps(d, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(args.out, "queries.jsonl"), "w") as f:
        for q in queries:
            f.write(json.dumps(q, ensure_ascii=False, separators=(",", ":")) + "\n")
    with open(os.path.join(args.out, "queries-time.jsonl"), "w") as f:
        for q in timed:
            f.write(json.dumps(q, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(corpus)} turns, {len(queries)} questions and {len(timed)} time questions to {args.out}")


if __name__ == "__main__":
    main()
