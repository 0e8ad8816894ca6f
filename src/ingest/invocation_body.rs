//! TEMPORARY STUB
use serde_json::value::RawValue;
#[derive(Default)]
pub struct InvocationText {
    pub user_prompt: String,
    pub guardrail_ids: Vec<String>,
    pub guardrail_action: Option<String>,
    pub stop_reason: Option<String>,
    pub usage_input_tokens: Option<u64>,
    pub usage_output_tokens: Option<u64>,
}
pub fn extract(_i: Option<&RawValue>, _o: Option<&RawValue>) -> InvocationText {
    InvocationText::default()
}
