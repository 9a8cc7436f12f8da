//! Checks that serenity 0.12.5 can deserialize a dispatch.
//!
//! serenity turns a dispatch whose `d` does not match its model into
//! `Event::Unknown` and drops it without a word. [`check_dispatch`] parses a
//! frame exactly as serenity's shard does and, for the common events, also
//! names the first field serenity choked on.

use serde_json::{Value, json};
use serenity::model::event::{Event, GatewayEvent};

/// `Ok` if serenity parses `(event, data)` into a known `Event`; `Err` with
/// the reason otherwise. Events serenity does not know at all (e.g. made-up
/// names used to test robustness) are reported as `Err` too.
pub fn check_dispatch(event: &str, data: &Value) -> Result<(), String> {
    let frame = json!({ "op": 0, "t": event, "s": 1, "d": data });
    match serde_json::from_value::<GatewayEvent>(frame) {
        Ok(GatewayEvent::Dispatch(_, Event::Unknown(_))) => {
            Err(format!("serenity parses {event} as Event::Unknown: {}", model_error(event, data)))
        }
        Ok(_) => Ok(()),
        Err(e) => Err(format!("serenity cannot parse the {event} frame: {e}")),
    }
}

/// The serde error of the specific model behind a common event.
fn model_error(event: &str, data: &Value) -> String {
    use serenity::model::prelude::*;
    fn err<T: serde::de::DeserializeOwned>(data: &Value) -> String {
        match serde_json::from_value::<T>(data.clone()) {
            Ok(_) => "the model itself parses (unknown event name?)".to_owned(),
            Err(e) => e.to_string(),
        }
    }
    match event {
        "INTERACTION_CREATE" => err::<Interaction>(data),
        "MESSAGE_CREATE" | "MESSAGE_UPDATE" => err::<Message>(data),
        "GUILD_CREATE" => err::<Guild>(data),
        "READY" => err::<Ready>(data),
        "GUILD_MEMBER_ADD" | "GUILD_MEMBER_UPDATE" => err::<Member>(data),
        "CHANNEL_CREATE" | "CHANNEL_UPDATE" => err::<Channel>(data),
        _ => "no model check for this event".to_owned(),
    }
}
