//! Properties over arbitrary input: never panic, always decide the same way.

use her2bot::engine::DecisionKind;
use proptest::prelude::*;

use super::testing::engine;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        // any Unicode, up to 10,000 characters
        proptest::collection::vec(any::<char>(), 0..10_000).prop_map(|c| c.into_iter().collect()),
        // medical-looking words with noise
        proptest::collection::vec(
            prop_oneof![
                Just("her2".to_string()),
                Just("3+".to_string()),
                Just("chemo".into()),
                Just("<@123>".into()),
                Just("@everyone".into()),
                Just("fever".into()),
                Just("\u{0337}".into()),
                "[a-z]{1,12}",
                "[0-9]{1,3}",
                "\\PC{1,3}",
            ],
            0..200
        )
        .prop_map(|w| w.join(" ")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn respond_never_panics_and_is_deterministic(q in text()) {
        let e = engine();
        let a = e.respond(&q);
        let b = e.respond(&q);
        prop_assert_eq!(&a, &b);
        prop_assert!(a.candidates.len() <= 5);
        prop_assert!(a.score.is_finite() && (0.0..=1.0).contains(&a.score));
        prop_assert_eq!(a.intent.is_some(), a.decision == DecisionKind::Answer);
        if a.decision != DecisionKind::Smalltalk {
            prop_assert!(a.reply.notice.is_some());
        }
    }

    #[test]
    fn rank_topics_never_panics(q in "\\PC{0,200}") {
        let ranked = engine().rank_topics(&q);
        prop_assert!(ranked.iter().all(|c| c.score.is_finite()));
    }
}
