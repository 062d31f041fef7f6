//! # JSON: the whole comparison as one object
//!
//! `serde_json::to_vec_pretty` of [`Comparison`] plus a trailing newline. The
//! top level is an object, so fields can be added later without breaking
//! readers. The schema is documented in `docs/guide.md` (Exports).

use anyhow::Result;

use super::Exporter;
use crate::report::Comparison;

/// Pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn serialize(&self, comparison: &Comparison) -> Result<Vec<u8>> {
        let mut bytes = serde_json::to_vec_pretty(comparison)?;
        bytes.push(b'\n');
        Ok(bytes)
    }
}
