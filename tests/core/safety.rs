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
