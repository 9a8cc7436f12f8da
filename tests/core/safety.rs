//! The safety screen on the shipped rules: each kind of warning sign in
//! medical-facts B1/B2/B4 is caught in several wordings (typos, relatives,
//! units, long stories), and the same scary words in a general question or
//! about a past, resolved event do not fire the emergency reply.
//!
//! The phrasings here are our own; none comes from an evaluation set.

use her2bot::engine::DecisionKind;

use super::testing::engine;

fn decision_and_reason(q: &str) -> (DecisionKind, Option<String>) {
    let r = engine().respond(q);
    (r.decision, r.reason)
}

#[track_caller]
fn assert_urgent(q: &str, want_rule_prefix: &str) {
    let (d, reason) = decision_and_reason(q);
    assert_eq!(d, DecisionKind::Emergency, "not screened as urgent: {q:?}");
    let reason = reason.unwrap_or_default();
    assert!(reason.starts_with(want_rule_prefix), "{q:?} fired {reason:?}, expected a {want_rule_prefix}* rule");
}

#[track_caller]
fn assert_not_urgent(q: &str) {
    let (d, reason) = decision_and_reason(q);
    assert_ne!(d, DecisionKind::Emergency, "{q:?} wrongly fired {reason:?}");
}

#[test]
fn temperatures_in_any_unit_during_treatment_are_urgent() {
    assert_urgent("38.4 and feeling rough, second cycle of EC", "temperature-reading");
    assert_urgent("mums on kadcyla and her temp is 38.9", "fever");
    assert_urgent("thermometer says 101.5F, had herceptin on monday", "fever");
    assert_urgent("39 degrees on taxol week 3", "fever");
    assert_urgent("fevr after my chemo yesterday", "fever-during-treatment");
}

#[test]
fn an_age_or_a_size_is_not_a_temperature() {
    assert_not_urgent("i'm 41 and on herceptin, is her2 positive hereditary");
    assert_not_urgent("my tumour is 39 mm, what stage is that");
}

#[test]
fn body_warning_signs_are_urgent() {
    for (q, rule) in [
        ("dad says his chest feels like it's being squeezed", "chest"),
        ("breathlesness is getting worse every hour", "breathing"),
        ("on phesgo and my ankles have got really puffy and swollen", "heart-strain"),
        ("heart keeps fluttering and skipping since the last herceptin", "heart"),
        ("my husband coughed up a clot this morning", "bringing-up-blood"),
        ("diarhea 9 times since this morning on tucatinib", "severe-diarrhoea"),
        ("been vommiting all night and cant keep water down", "vomiting"),
        ("mouth is so full of ulcers she hasnt had a drink all day", "mouth-sores"),
        ("her right calf is swollen red and sore", "leg-clot"),
        ("my back is agony and my legs feel numb and wobbly", "spinal"),
        ("the whites of her eyes have gone yellow", "dark-urine-yellow-skin"),
        ("mum is really muddled and drowsy tonight", "sudden-confusion"),
        ("worst headache of my life came on in seconds", "sudden-headache"),
        ("he collapsed in the kitchen", "collapse"),
        ("my picc line is red and oozing", "line-infection"),
        ("i think i might be pregnant, im on herceptin", "pregnant"),
        ("nose bleed wont stop for an hour, platelets low", "bleeding"),
    ] {
        assert_urgent(q, rule);
    }
}

#[test]
fn indirect_crisis_talk_gets_the_crisis_reply() {
    for q in [
        "i cant do this anymore",
        "everyone would be better off without me",
        "i feel like such a burden on my family",
        "ive been thinking of ending it",
        "i hope i dont wake up tomorrow",
    ] {
        let r = engine().respond(q);
        assert_eq!(r.decision, DecisionKind::Emergency, "{q:?}");
        assert_eq!(r.reply.kind, her2bot::reply::ReplyKind::Crisis, "{q:?}");
    }
}

#[test]
fn general_questions_and_past_events_are_not_emergencies() {
    for q in [
        "what are the signs of neutropenic sepsis",
        "what should i do if i get a temperature on chemo",
        "how common is diarrhoea on neratinib",
        "two years ago i had a blood clot from my port, all fine since. is her2 hereditary?",
        "does her2 positive breast cancer spread quickly",
        "what does ihc 2+ mean",
    ] {
        assert_not_urgent(q);
    }
}

/// Everyday words that contain or resemble a warning sign: "results came
/// back" + "number" is not spinal-cord compression, orange-peel skin is not
/// jaundice, "overdoing" is not an overdose, "they can't see" is not sudden
/// loss of sight.
#[test]
fn look_alike_words_are_not_emergencies() {
    for q in [
        "results came back, what does the her2 number mean",
        "got my biopsy back, her2 number is 2+",
        "the skin looks dimpled like orange peel, what stage is that",
        "why on earth did my cells start overdoing the her2",
        "does positive mean it has spread somewhere they can't see",
        "someone told me a weak tumour never comes back, is that so",
    ] {
        assert_not_urgent(q);
    }
    for (q, rule) in [
        ("my back is numb and my legs are weak", "spinal"),
        ("sudden back pain and my legs feel numb", "spinal"),
        ("i think i overdosed by mistake", "overdose"),
        ("my skin has gone orange and my pee is dark", "dark-urine"),
        ("i suddenly cant see out of my left eye", "sudden-headache"),
    ] {
        assert_urgent(q, rule);
    }
}

#[test]
fn a_past_event_never_cancels_a_crisis() {
    let r = engine().respond("years ago i felt fine but now i want to end my life");
    assert_eq!(r.reply.kind, her2bot::reply::ReplyKind::Crisis);
}

/// A fever described without the word, and the days after a dose: "last
/// week" names when chemo was, not a fever that is over.
#[test]
fn fever_in_other_words_and_the_week_after_chemo() {
    for (q, rule) in [
        ("one minute im boiling the next im freezing, had docetaxel on tuesday", "fever-hot-and-cold"),
        ("teeth chattering and soaked in sweat, on my second cycle", "fever-hot-and-cold"),
        ("38.7 tonight and clammy, my white cells were low at clinic", "temperature-reading"),
        ("my infusion was last week and tonight the thermometer says 38.9", "fever"),
        ("had EC last week, now my temp is 101", "fever"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "i had a fever last week after my jab, all fine now, what is her2 low",
        "the temperature i had after my flu jab, does it matter for chemo",
        "temp normal, bit of a sniffle, can i still have herceptin tomorrow",
        "can pertuzumab be left out of the fridge at room temperature",
        "i get hot flushes and then feel cold on letrozole, is that common",
    ] {
        assert_not_urgent(q);
    }
}

#[test]
fn breathing_described_by_how_it_looks_or_sounds() {
    for (q, rule) in [
        ("cant get a proper breath in since this afternoon", "breathing"),
        ("she can only say a couple of words then has to stop for breath", "breathing"),
        ("his breathing is quick and shallow and he's grey", "breathing"),
        ("my wife's breathing has a gurgly rattle to it", "breathing"),
        ("my fingertips have gone a bluish colour", "breathing-colour"),
        ("i feel like i'm suffocating", "breathing"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "the waiting for results is suffocating, how long do they take",
        "can low iron make you breathless on chemo",
        "are breathing exercises good before a scan",
        "how fast does her2 spread to the lungs",
        "my face looks grey and washed out after chemo, any tips",
        "my nails have turned grey on docetaxel",
    ] {
        assert_not_urgent(q);
    }
}

#[test]
fn collapse_and_stroke_in_lay_words() {
    for (q, rule) in [
        ("mum just went all limp in the chair", "collapse"),
        ("i can barely rouse my husband", "collapse"),
        ("she is drifting in and out and barely responding to me", "collapse"),
        ("found my dad lying on the kitchen floor", "found-on-floor"),
        ("i think i'm going to faint", "collapse"),
        ("i keep passing out", "fainting"),
        ("his face has gone lopsided", "stroke-face"),
        ("her left arm and leg have gone weak", "stroke-one-side"),
        ("out of nowhere my right hand went numb and i dropped my phone", "stroke-sudden-weakness"),
        ("he can't lift his right arm", "stroke-arm-leg"),
        ("my husband's speech has gone all garbled", "stroke-speech"),
        ("she's staring at nothing and her hand is jerking", "seizure-signs"),
        ("this morning mum didn't recognise her own son", "not-recognising"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "i help pass out flyers at the clinic, any on her2",
        "the swelling went down when i stood up, is lymphoedema permanent",
        "i nearly fainted when they told me the price of enhertu",
        "my eyelid keeps twitching on chemo",
        "i didnt recognise myself in the mirror with no hair",
        "my arm went numb after the mastectomy, is that common",
        "my arm and leg feel heavy and tired after chemo",
        "there's a lump on the floor of my mouth, is it related",
        "how do carers recognise a stroke",
        "she finished herceptin last year, what follow up is normal",
    ] {
        assert_not_urgent(q);
    }
    // "last year" says when treatment ended, not that the stroke is over.
    assert_urgent("her smile is crooked and she finished herceptin last year", "stroke");
}

#[test]
fn gut_bleeding_throat_belly_and_spine_in_lay_words() {
    for (q, rule) in [
        ("i keep bringing up stuff like coffee granules", "bringing-up-blood"),
        ("my poo has gone black and sticky", "black-stools"),
        ("during my phesgo my throat started closing up", "throat-closing"),
        ("been retching since yesterday and can't keep a sip down", "vomiting"),
        ("sudden agonising tummy pain, i can't stand up", "severe-abdominal-pain"),
        ("her belly is rigid and the pain is unbearable", "severe-abdominal-pain"),
        ("my tummy hurts like never before and it's swollen and hard", "severe-abdominal-pain"),
        ("bad pain in his back and he wet himself without noticing", "spinal"),
        ("a black curtain just came down over my left eye", "sudden-vision-loss"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "does iron make your stools black",
        "i get a lump in my throat when i think about my results",
        "how can i manage stomach cramps on neratinib",
        "does herceptin cause stomach pain",
    ] {
        assert_not_urgent(q);
    }
}

#[test]
fn wrong_doses_and_medicine_mix_ups() {
    for (q, rule) in [
        ("i accidentally swallowed two doses of capecitabine this morning", "wrong-dose"),
        ("gave my dad double his morphine by mistake", "wrong-dose"),
        ("swallowed my whole week's neratinib by accident", "wrong-dose"),
        ("my grandson got into my tablets and chewed one", "medicine-mix-up"),
        ("my little girl ate one of my capsules", "medicine-mix-up"),
        ("i took 8 paracetamol instead of 2", "wrong-dose"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "i take capecitabine twice a day, can i drink alcohol",
        "i took tamoxifen for two years, should i switch",
        "i took my tablets, tomorrow is chemo, what should i eat",
        "ive taken too much time off work, how do i go back",
        "i had a double mastectomy, will i need herceptin",
    ] {
        assert_not_urgent(q);
    }
}

#[track_caller]
fn assert_crisis(q: &str) {
    let r = engine().respond(q);
    assert_eq!(r.decision, DecisionKind::Emergency, "{q:?}");
    assert_eq!(r.reply.kind, her2bot::reply::ReplyKind::Crisis, "{q:?} fired {:?}", r.reason);
}

#[test]
fn indirect_crisis_wordings() {
    for q in [
        "i've been putting my sleeping tablets aside for weeks",
        "the tablets are all counted out on the table",
        "this is my last post, goodbye for good",
        "i see no reason to get up tomorrow",
        "i keep picturing walking into traffic",
        "nobody would miss me if i was gone",
        "i wish i wasn't alive",
        "how much morphine is a fatal dose",
        "my son has been harming himself",
        "i pick at my arms until they bleed when the dread gets bad",
        "dog is rehomed and my will is done, i'm ready now",
        "i'm going to take all my painkillers tonight",
        "i'm done fighting, i want it over",
        "going to sleep for good tonight",
        "i'm standing on the bridge",
        "ever since they found the mets i can't see the point in being alive",
        "i've been looking up ways to do it",
    ] {
        assert_crisis(q);
    }
    for q in [
        "i'm so tired i could sleep forever, is fatigue normal",
        "i'm done fighting with my insurer about enhertu",
        "is the chemo strong enough to kill the cancer",
        "thanks, bye for now",
        "my sister is cutting herself off from everyone since my diagnosis",
        "i keep my tablets lined up in a dosette box",
        "my rash itches so much i scratch till it bleeds",
        "we had a farewell party at work before chemo",
    ] {
        let r = engine().respond(q);
        assert_ne!(r.reply.kind, her2bot::reply::ReplyKind::Crisis, "{q:?} fired {:?}", r.reason);
    }
}

#[test]
fn general_questions_about_warning_signs_are_not_emergencies() {
    for q in [
        "what is neutropenic sepsis, and why does it matter",
        "how likely is a reaction to docetaxel",
        "if i get a temperature on a sunday, who do i ring",
        "which symptoms of a clot should i watch for",
        "back in june i had a fever on chemo, will it happen again",
        "a while back i had a clot from my picc, is a port safer",
        "had a fit once as a child, does it matter for tucatinib",
        "i almost had a heart attack when i saw the parking charges",
    ] {
        assert_not_urgent(q);
    }
}

/// A past story or a treatment date next to a danger happening now: the
/// past words must not hide it. Tokens keep no sentence breaks, so
/// "diagnosed last year. I have..." must not read as a past event, and
/// `still_current` phrases ("right now", "it's happening again") undo
/// the cancelling altogether.
#[test]
fn a_past_story_does_not_hide_a_danger_happening_now() {
    for (q, rule) in [
        ("diagnosed last year. i have crushing chest pain", "chest"),
        ("she finished her chemo last year and now she can't breathe", "breathing"),
        ("my chest is tight and heavy, how common is this on herceptin", "chest"),
        ("my dad had a stroke years ago and right now his face is drooping", "collapse"),
        ("had sepsis last year after chemo and now im shivering and 38.8, same as last time", "fever"),
        ("mum had a fit years ago and its happening again, she wont respond", "collapse"),
    ] {
        assert_urgent(q, rule);
    }
    for q in [
        "had a clot years ago and now i'm on herceptin, can i fly",
        "last year i had chest pain on herceptin and it turned out to be nothing, should i worry about my echo",
        "is that likely to happen again next cycle? back in june i had a fever on chemo",
    ] {
        assert_not_urgent(q);
    }
}

/// A swollen face or neck is urgent even when an arm is swollen too (a
/// blocked vein in the chest swells both); a question about whether a drug
/// makes the face swell is not.
#[test]
fn a_swollen_face_with_a_swollen_arm_is_urgent() {
    assert_urgent(
        "since last night his neck and face are puffed up and his right arm is swollen",
        "swelling-face-throat",
    );
    assert_urgent("her face has swollen up and so has her arm", "swelling-face-throat");
    assert_urgent("my chest and breathing feel tight this evening", "");
    assert_not_urgent("can paclitaxel make your face swell a bit");
    assert_not_urgent("is a swollen arm after node surgery lymphoedema");
}
