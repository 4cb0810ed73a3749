//! The model file: a small binary format holding weights only.
//!
//! ```text
//! "CTTAGGER" | u32 format | u32 info length | info (JSON)
//!            | part-of-speech, parser, relation, cue and role perceptrons
//!            | [probes, when info.context_layer > 0]
//! perceptron = u32 bits | u32 labels | transitions (f32 × (labels+1) × labels)
//!            | u32 rows | rows × (u32 row index, f32 × labels)      — nonzero rows only
//! probes     = u32 dim | mean (f32 × dim) | scale (f32 × dim) | weights (f32 × PROBES × (3 × dim + 1))
//! ```
//! All numbers little-endian. Writing the same model gives the same bytes.

use super::perceptron::Perceptron;
use super::{ModelInfo, Tagger};

const MAGIC: &[u8; 8] = b"CTTAGGER";
const FORMAT: u32 = 1;
/// The largest hash table a model may ask for (2^24 rows).
const MAX_BITS: u32 = 24;

/// A model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("model file: {0}")]
pub struct ModelError(String);

impl ModelError {
    pub(crate) fn new(message: String) -> ModelError {
        ModelError(message)
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or_else(|| ModelError(format!("truncated at byte {}", self.pos)))?;
        let out = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn u32(&mut self) -> Result<u32, ModelError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_bits(self.u32()?))
    }

    fn perceptron(&mut self) -> Result<Perceptron, ModelError> {
        let bits = self.u32()?;
        let labels = self.u32()? as usize;
        if bits > MAX_BITS || labels == 0 || labels > 16 {
            return Err(ModelError(format!(
                "implausible table: 2^{bits} rows of {labels} labels"
            )));
        }
        let mut p = Perceptron::new(bits, labels);
        for t in p.transitions.iter_mut() {
            *t = self.f32()?;
        }
        let rows = self.u32()? as usize;
        for _ in 0..rows {
            let row = self.u32()? as usize;
            let start = row.checked_mul(labels).filter(|&s| s + labels <= p.weights.len());
            let start = start.ok_or_else(|| ModelError(format!("row {row} out of the table")))?;
            for k in 0..labels {
                p.weights[start + k] = self.f32()?;
            }
        }
        Ok(p)
    }

    fn floats(&mut self, n: usize) -> Result<Vec<f32>, ModelError> {
        (0..n).map(|_| self.f32()).collect()
    }

    fn probes(&mut self) -> Result<super::context::Probes, ModelError> {
        let dim = self.u32()? as usize;
        if dim == 0 || dim > 4096 {
            return Err(ModelError(format!("implausible encoder width {dim}")));
        }
        Ok(super::context::Probes {
            mean: self.floats(dim)?,
            scale: self.floats(dim)?,
            weights: self.floats(super::context::PROBES * (3 * dim + 1))?,
        })
    }
}

fn write_perceptron(out: &mut Vec<u8>, p: &Perceptron) {
    out.extend_from_slice(&p.bits.to_le_bytes());
    out.extend_from_slice(&(p.n_labels as u32).to_le_bytes());
    for t in &p.transitions {
        out.extend_from_slice(&t.to_le_bytes());
    }
    let rows: Vec<usize> = (0..p.weights.len() / p.n_labels)
        .filter(|r| {
            p.weights[r * p.n_labels..(r + 1) * p.n_labels]
                .iter()
                .any(|w| *w != 0.0)
        })
        .collect();
    out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    for r in rows {
        out.extend_from_slice(&(r as u32).to_le_bytes());
        for w in &p.weights[r * p.n_labels..(r + 1) * p.n_labels] {
            out.extend_from_slice(&w.to_le_bytes());
        }
    }
}

impl Tagger {
    /// Reads a model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        let mut r = Reader { bytes, pos: 0 };
        if r.take(8)? != MAGIC {
            return Err(ModelError("not a claimtrace model (bad magic)".to_owned()));
        }
        let format = r.u32()?;
        if format != FORMAT {
            return Err(ModelError(format!("format {format}, this claimtrace reads {FORMAT}")));
        }
        let info_len = r.u32()? as usize;
        let info: ModelInfo =
            serde_json::from_slice(r.take(info_len)?).map_err(|e| ModelError(format!("model info: {e}")))?;
        if info.version != super::train::FEATURE_VERSION {
            return Err(ModelError(format!(
                "made for feature set {}, this claimtrace computes feature set {}: retrain it with `claimtrace train`",
                info.version,
                super::train::FEATURE_VERSION
            )));
        }
        let pos = r.perceptron()?;
        let parser = r.perceptron()?;
        let labeler = r.perceptron()?;
        let cue = r.perceptron()?;
        let role = r.perceptron()?;
        let labels = [&pos, &parser, &labeler, &cue, &role].map(|p| p.n_labels);
        if labels
            != [
                super::pos::CLASSES,
                super::parse::ACTIONS,
                super::parse::RELATIONS,
                3,
                5,
            ]
        {
            return Err(ModelError(format!("unexpected label sets {labels:?}")));
        }
        let context = if info.context_layer > 0 {
            Some(r.probes()?)
        } else {
            None
        };
        if r.pos != bytes.len() {
            return Err(ModelError(format!("{} bytes after the model", bytes.len() - r.pos)));
        }
        Ok(Tagger {
            info,
            pos,
            parser,
            labeler,
            cue,
            role,
            context,
            encoder: Default::default(),
        })
    }

    /// The model file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT.to_le_bytes());
        let info = serde_json::to_vec(&self.info).unwrap_or_default();
        out.extend_from_slice(&(info.len() as u32).to_le_bytes());
        out.extend_from_slice(&info);
        for p in [&self.pos, &self.parser, &self.labeler, &self.cue] {
            write_perceptron(&mut out, p);
        }
        write_perceptron(&mut out, &self.role);
        if let Some(probes) = &self.context {
            out.extend_from_slice(&(probes.dim() as u32).to_le_bytes());
            for w in probes.mean.iter().chain(&probes.scale).chain(&probes.weights) {
                out.extend_from_slice(&w.to_le_bytes());
            }
        }
        out
    }
}
