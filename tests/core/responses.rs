//! Behaviour of the engine on the shipped knowledge: safety first, the
//! notice on every medical reply, honest declines, odd input.

use her2bot::engine::DecisionKind;
use her2bot::reply::ReplyKind;

use super::testing::engine;

#[test]
fn every_entry_reply_carries_notice_sources_and_review_date() {
    let e = engine();
    for entry in &e.knowledge().entries {
        let r = e.entry_reply(&entry.id).expect("entry exists");
        assert_eq!(r.title, entry.question);
        assert!(r.notice.as_deref().is_some_and(|n| n.contains("not medical advice")), "{}", entry.id);
        assert!(!r.sources.is_empty() && r.reviewed.is_some(), "{}", entry.id);
        assert!((2..=3).contains(&r.related.len()) || r.related.len() == entry.related.len(), "{}", entry.id);
    }
}

#[test]
fn every_medical_decision_carries_the_notice() {
    let e = engine();
    let questions = [
        "what is her2",
        "her2 3+",
        "is her2 low common",
        "how much does herceptin cost",
        "im thinking of killing myself",
        "fever 39 after chemo",
        "should i stop my herceptin",
        "what is the capital of peru",
    ];
    for q in questions {
        let r = e.respond(q);
        if r.decision != DecisionKind::Smalltalk {
            assert!(r.reply.notice.is_some(), "{q:?} → {:?}", r.decision);
        }
    }
}

#[test]
fn emergency_beats_a_strong_faq_match() {
    let e = engine();
    for q in [
        "what foods should i avoid? also i have a fever of 39 since my chemo yesterday",
        "my her2 score is 3+ and i cant breathe properly right now",
        "does her2 run in families, i keep thinking about killing myself",
    ] {
        let r = e.respond(q);
        assert_eq!(r.decision, DecisionKind::Emergency, "{q:?}");
        assert_eq!(r.intent, None);
        assert!(matches!(r.reply.kind, ReplyKind::Emergency | ReplyKind::Crisis));
        assert!(r.reply.sources.is_empty(), "no FAQ answer with an emergency");
    }
}

#[test]
fn crisis_messages_get_crisis_lines() {
    let r = engine().respond("honestly i dont want to live anymore");
    assert_eq!(r.decision, DecisionKind::Emergency);
    assert_eq!(r.reply.kind, ReplyKind::Crisis);
    assert!(r.reply.body.contains("988") && r.reply.body.contains("116 123"));
}

#[test]
fn personal_treatment_decision_is_referred_to_the_care_team() {
    let r = engine().respond("should i stop my herceptin?");
    assert_eq!(r.decision, DecisionKind::Fallback);
    assert_eq!(r.reply.kind, ReplyKind::Referral);
    assert_eq!(r.reason.as_deref(), Some("change-own-treatment"));
    assert!(r.reply.body.contains("care team") || r.reply.title.contains("care team"));
}

#[test]
fn faint_ihc_staining_is_not_fainting() {
    let r = engine().respond("my report says faint staining in 5% of cells, what does that mean");
    assert_ne!(r.decision, DecisionKind::Emergency);
}

#[test]
fn near_domain_questions_are_not_answered() {
    let e = engine();
    for q in [
        "how much does herceptin cost without insurance",
        "what stage is a 3 cm kidney tumor",
        "is prostate cancer hereditary",
        "what is the 10 year survival rate for her2 positive",
        "can i get the flu jab during chemo",
    ] {
        assert_ne!(e.respond(q).decision, DecisionKind::Answer, "{q:?}");
    }
}

#[test]
fn typos_brand_names_and_mentions_are_understood() {
    let e = engine();
    for (q, want) in [
        ("<@123456789012345678> @everyone what is tnbc", "triple-negative"),
        ("wat does ihc 3+ meen", "her2-score-3"),
        ("is her 2 low postive or negative", "her2-low-status"),
        // pathology shorthand: pluses for the score, a trailing minus for negative
        ("her2 +++ on my report, what does that mean", "her2-score-3"),
        ("her2 ++ on the biopsy what now", "her2-score"),
        ("report says ER+/PR+/HER2- what does that mean", "her2-test-negative"),
    ] {
        let r = e.respond(q);
        assert_eq!(r.intent.as_deref(), Some(want), "{q:?} → {:?} {:?}", r.decision, r.candidates);
    }
}

#[test]
fn clarify_offers_at_most_three_choices() {
    let e = engine();
    for q in ["her2", "her2 negative", "chemo", "her2 cancer"] {
        let r = e.respond(q);
        assert!(r.reply.choices.len() <= 3, "{q:?}");
        if r.decision == DecisionKind::Clarify {
            assert!(!r.reply.choices.is_empty(), "{q:?}");
        }
    }
}

#[test]
fn bad_input_gets_a_sensible_reply() {
    let e = engine();
    let long = "my mum was diagnosed last month and we are all trying to understand it. ".repeat(140)
        + "what does her2 3+ mean?";
    let cases: Vec<(String, &[DecisionKind])> = vec![
        (String::new(), &[DecisionKind::Smalltalk]),
        ("   ".into(), &[DecisionKind::Smalltalk]),
        ("<@123456789012345678>".into(), &[DecisionKind::Smalltalk]),
        ("🎗️💗🙏".into(), &[DecisionKind::Smalltalk]),
        ("рак груди что это".into(), &[DecisionKind::Fallback]),
        ("乳腺癌是什么".into(), &[DecisionKind::Fallback]),
        (
            "¿Qué significa HER2 positivo?".into(),
            &[DecisionKind::Fallback, DecisionKind::Clarify, DecisionKind::Answer],
        ),
        ("```rust\nfn main() { panic!() }\n```".into(), &[DecisionKind::Fallback]),
        ("h̷̡e̶r̸2̵ ̷l̶o̷w̸ ̸p̶e̴r̵c̴e̵n̵t̷a̷g̷e̷".into(), &[DecisionKind::Answer, DecisionKind::Clarify]),
        (long.clone(), &[DecisionKind::Answer, DecisionKind::Clarify]),
    ];
    for (q, allowed) in cases {
        let r = e.respond(&q);
        assert!(allowed.contains(&r.decision), "{:?} → {:?}", q.chars().take(40).collect::<String>(), r.decision);
        assert!(r.candidates.len() <= 5);
    }
    assert!(e.respond(&long).candidates.iter().take(3).any(|c| c.intent == "her2-score-3"));
}

#[test]
fn another_condition_in_an_faq_template_is_not_answered() {
    let e = engine();
    let r = e.respond("what grade is a meningioma usually");
    assert_ne!(r.decision, DecisionKind::Answer, "{:?}", r.intent);
    // The same shape about HER2 is answered.
    let r = e.respond("what grade is her2 positive breast cancer usually");
    assert_eq!((r.decision, r.intent.as_deref()), (DecisionKind::Answer, Some("her2-positive-grade")));
}

#[test]
fn each_word_the_faq_never_uses_raises_the_answer_bar() {
    let with_penalty = |penalty: f32| {
        let (k, c) = her2bot::engine::load_files(None, None);
        let mut c = c.expect("shipped config");
        c.matcher.unknown_word_penalty = penalty;
        her2bot::Engine::new(k.expect("shipped knowledge"), c).expect("engine")
    };
    // "glioma" appears nowhere in the knowledge base.
    let q = "what grade is a glioma usually";
    let lenient = with_penalty(0.0).respond(q);
    assert_eq!(lenient.decision, DecisionKind::Answer, "without the penalty the template alone answers");
    let strict = with_penalty(0.4).respond(q);
    assert_eq!(strict.score, lenient.score, "the penalty moves the bar, not the score");
    assert_ne!(strict.decision, DecisionKind::Answer);
}

#[test]
fn a_medical_question_with_help_in_it_is_not_small_talk() {
    let r = engine().respond("can ginger tea help a her2 tumour shrink");
    assert_ne!(r.decision, DecisionKind::Smalltalk);
    let r = engine().respond("hi, what sort of things can i ask you?");
    assert_eq!(r.decision, DecisionKind::Smalltalk);
}

/// A question of two or three words that fits two entries almost equally is
/// asked about, not answered; the same topic asked in full is answered.
#[test]
fn a_few_words_fitting_two_entries_get_a_choice() {
    let e = engine();
    for q in ["her2 food", "her2 diet"] {
        let r = e.respond(q);
        assert_eq!(r.decision, DecisionKind::Clarify, "{q:?}");
        let offered: Vec<&str> = r.candidates.iter().take(2).map(|c| c.intent.as_str()).collect();
        assert!(offered.contains(&"foods-to-avoid") && offered.contains(&"foods-shrink-tumors"), "{q:?}: {offered:?}");
    }
    let r = e.respond("are there any foods i should avoid now that i have her2 positive breast cancer");
    assert_eq!((r.decision, r.intent.as_deref()), (DecisionKind::Answer, Some("foods-to-avoid")));
}

#[test]
fn a_small_talk_word_in_an_unrelated_request_is_not_small_talk() {
    let e = engine();
    for q in ["how are you today?", "hello from sunny spain", "hey can you help me please", "who runs you, the nhs?"] {
        assert_eq!(e.respond(q).decision, DecisionKind::Smalltalk, "{q:?}");
    }
    for q in [
        "can you help me with my maths homework, quadratic equations",
        "hello, which phone has the best camera for photos",
    ] {
        assert_eq!(e.respond(q).decision, DecisionKind::Fallback, "{q:?}");
    }
}

#[test]
fn not_covered_max_bars_answers_the_matcher_thinks_may_be_uncovered() {
    use her2bot::Engine;
    use her2bot::config::Config;
    use her2bot::knowledge::Knowledge;
    let q = "how many months does chemo last for her2 positive";
    let at = |max: f32| {
        let mut config = Config::load_embedded().expect("shipped config");
        config.matcher.not_covered_max = max;
        let engine = Engine::new(Knowledge::embedded().expect("shipped knowledge"), config).expect("valid");
        engine.respond(q)
    };
    let (open, closed) = (at(1.0), at(0.0));
    assert_eq!((open.decision, open.intent.as_deref()), (DecisionKind::Answer, Some("chemo-duration")));
    // Every question has some small "not covered" probability: at 0 the bot asks.
    assert_eq!(closed.decision, DecisionKind::Clarify);
    assert!(closed.reply.choices.iter().any(|c| c.id == "chemo-duration"));
}

/// The organs breast cancer spreads to are part of the story, not a sign of
/// another cancer; how long a relative will live is a personal prognosis,
/// which the FAQ does not give.
#[test]
fn where_it_spread_is_context_but_a_relatives_prognosis_is_not_covered() {
    let e = engine();
    let r = e.respond("it came back in her lungs and now they say she is her2 low, what does that mean");
    assert_eq!((r.decision, r.intent.as_deref()), (DecisionKind::Answer, Some("her2-low-status")));
    let r = e.respond("how long will my dad live with her2 positive liver mets");
    assert_ne!(r.decision, DecisionKind::Answer, "{:?}", r.intent);
}

#[test]
fn another_cancer_is_declined_unless_the_question_is_about_breast_cancer_too() {
    let e = engine();
    // Entries mention the liver, the lungs and food; the questions are about
    // liver and lung cancer.
    for q in ["does liver cancer spread quickly", "what foods should lung cancer patients avoid"] {
        let r = e.respond(q);
        assert_ne!(r.decision, DecisionKind::Answer, "{q}: {:?}", r.intent);
    }
    // Naming HER2 makes the other cancer context: HER2-positive stomach
    // cancer is what the type entry explains.
    let r = e.respond("is stomach cancer ever her2 positive like breast cancer");
    assert_eq!((r.decision, r.intent.as_deref()), (DecisionKind::Answer, Some("her2-positive-type")));
}
