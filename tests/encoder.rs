//! The BERT encoder of the accurate model (`extract::tagger::encoder`). A tiny checkpoint written
//! here exercises loading, WordPiece, the forward pass's shapes and a model with a contextual
//! layer; the real encoder (`make encoder`) is checked against hidden states computed by an
//! independent implementation (`tests/data/encoder/reference.json`, its provenance inside).

use claimtrace::extract::Tagger;
use claimtrace::extract::tagger::encoder::{Encoder, EncoderError};
use claimtrace::extract::tagger::train::{ContextOptions, TrainOptions, TrainingDoc, train};
use claimtrace::text::analyze;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const VOCAB: &[&str] = &[
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "the", "official", "said", "talks", "would", "resume", ".", ",", "un",
    "##able", "##s", "cafe", "'", "t", "“", "”", "minister", "told", "reuters",
];

/// Writes a BERT checkpoint of width 8, two heads, `layers` layers and weights drawn from `seed`.
fn tiny_checkpoint(dir: &Path, layers: usize, seed: u64) {
    let (dim, inner) = (8usize, 16usize);
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 40) as f32 / (1u64 << 24) as f32 - 0.5) * 0.4
    };
    let mut tensors: Vec<(String, Vec<usize>, Vec<u8>)> = Vec::new();
    let mut add = |name: String, shape: Vec<usize>, fill: &mut dyn FnMut() -> f32| {
        let n: usize = shape.iter().product();
        let bytes = (0..n).flat_map(|_| fill().to_le_bytes()).collect();
        tensors.push((name, shape, bytes));
    };
    let mut one = || 1.0f32;
    add(
        "embeddings.word_embeddings.weight".into(),
        vec![VOCAB.len(), dim],
        &mut next,
    );
    add(
        "embeddings.position_embeddings.weight".into(),
        vec![128, dim],
        &mut next,
    );
    add(
        "embeddings.token_type_embeddings.weight".into(),
        vec![2, dim],
        &mut next,
    );
    add("embeddings.LayerNorm.weight".into(), vec![dim], &mut one);
    add("embeddings.LayerNorm.bias".into(), vec![dim], &mut next);
    for l in 0..layers {
        let p = format!("encoder.layer.{l}");
        for (name, out, input) in [
            ("attention.self.query", dim, dim),
            ("attention.self.key", dim, dim),
            ("attention.self.value", dim, dim),
            ("attention.output.dense", dim, dim),
            ("intermediate.dense", inner, dim),
            ("output.dense", dim, inner),
        ] {
            add(format!("{p}.{name}.weight"), vec![out, input], &mut next);
            add(format!("{p}.{name}.bias"), vec![out], &mut next);
        }
        for name in ["attention.output.LayerNorm", "output.LayerNorm"] {
            add(format!("{p}.{name}.weight"), vec![dim], &mut one);
            add(format!("{p}.{name}.bias"), vec![dim], &mut next);
        }
    }
    let views = tensors.iter().map(|(name, shape, bytes)| {
        (
            name.clone(),
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes).unwrap(),
        )
    });
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(
        dir.join("model.safetensors"),
        safetensors::serialize(views, None).unwrap(),
    )
    .unwrap();
    let vocab: serde_json::Map<String, serde_json::Value> = VOCAB
        .iter()
        .enumerate()
        .map(|(i, w)| ((*w).to_owned(), i.into()))
        .collect();
    let tokenizer = serde_json::json!({"model": {"type": "WordPiece", "vocab": vocab}});
    std::fs::write(dir.join("tokenizer.json"), tokenizer.to_string()).unwrap();
    let config = serde_json::json!({"hidden_size": dim, "num_attention_heads": 2, "num_hidden_layers": layers,
        "hidden_act": "gelu", "layer_norm_eps": 1e-12});
    std::fs::write(dir.join("config.json"), config.to_string()).unwrap();
}

fn tiny(seed: u64) -> (tempfile::TempDir, Encoder) {
    let dir = tempfile::tempdir().unwrap();
    tiny_checkpoint(dir.path(), 2, seed);
    let encoder = Encoder::load(dir.path()).unwrap();
    (dir, encoder)
}

fn pieces(encoder: &Encoder, text: &str) -> Vec<&'static str> {
    let mut ids = Vec::new();
    for word in text.split_whitespace() {
        encoder.pieces(word, &mut ids);
    }
    ids.iter().map(|&id| VOCAB[id as usize]).collect()
}

#[test]
fn word_pieces_follow_berts_uncased_tokenizer() {
    let (_dir, encoder) = tiny(1);
    // Lower case, accents stripped, punctuation split off, longest match first, "##" inside.
    assert_eq!(pieces(&encoder, "The OFFÍCIAL said."), ["the", "official", "said", "."]);
    assert_eq!(pieces(&encoder, "unable talks,"), ["un", "##able", "talks", ","]);
    assert_eq!(
        pieces(&encoder, "Café “weren't”"),
        ["cafe", "“", "[UNK]", "'", "t", "”"]
    );
    // A word the vocabulary cannot spell is one [UNK], however far the match went; so is a very
    // long word.
    assert_eq!(pieces(&encoder, "unablex"), ["[UNK]"]);
    assert_eq!(pieces(&encoder, &"s".repeat(101)), ["[UNK]"]);
    // Control characters are dropped.
    assert_eq!(pieces(&encoder, "the\u{200b}"), ["the"]);
}

#[test]
fn each_token_gets_the_mean_of_its_pieces_in_its_sentence() {
    let (_dir, encoder) = tiny(2);
    let text = "The official said the talks would resume. The minister told Reuters.\n\nUnable.";
    let analysis = analyze(text);
    let vectors = encoder.token_vectors(&analysis, text, 2);
    assert_eq!(vectors.dim(), (analysis.tokens.len(), encoder.dim()));
    // Both sentences of the first paragraph are one sequence: [CLS] the official … reuters . [SEP].
    let mut ids = Vec::new();
    let mut first = Vec::new();
    for token in &analysis.tokens[..analysis.blocks[0].tokens.end] {
        first.push(ids.len());
        encoder.pieces(token.span.text(text), &mut ids);
    }
    let hidden = encoder.hidden(&ids, 2);
    assert_eq!(hidden.nrows(), ids.len() + 2);
    for (k, &start) in first.iter().enumerate() {
        for d in 0..encoder.dim() {
            assert!((vectors[[k, d]] - hidden[[start + 1, d]]).abs() < 1e-5, "token {k}");
        }
    }
    // "Unable" (two pieces, its own paragraph): the mean of both.
    let last = analysis
        .tokens
        .iter()
        .position(|t| t.span.text(text) == "Unable")
        .unwrap();
    let mut unable = Vec::new();
    encoder.pieces("Unable", &mut unable);
    let alone = encoder.hidden(&[unable.as_slice(), &[10]].concat(), 2);
    for d in 0..encoder.dim() {
        let mean = (alone[[1, d]] + alone[[2, d]]) / 2.0;
        assert!((vectors[[last, d]] - mean).abs() < 1e-5);
    }
    // A sentence longer than a sequence is cut, never dropped.
    let long = "the official said ".repeat(100);
    let analysis = analyze(&long);
    let vectors = encoder.token_vectors(&analysis, &long, 2);
    assert!(
        vectors
            .rows()
            .into_iter()
            .all(|r| r.iter().all(|v| v.is_finite()) && r.iter().any(|v| *v != 0.0))
    );
}

#[test]
fn a_broken_checkpoint_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Encoder::load(&dir.path().join("nothing")).unwrap_err();
    assert!(matches!(missing, EncoderError::Io { .. }), "{missing}");
    assert!(missing.to_string().contains("config.json"), "{missing}");
    tiny_checkpoint(dir.path(), 1, 3);
    let config = serde_json::json!({"hidden_size": 6, "num_attention_heads": 2, "num_hidden_layers": 1,
        "hidden_act": "gelu"});
    std::fs::write(dir.path().join("config.json"), config.to_string()).unwrap();
    let wrong = Encoder::load(dir.path()).unwrap_err().to_string();
    assert!(
        wrong.contains("model.safetensors") && wrong.contains("word_embeddings"),
        "{wrong}"
    );
}

fn training_docs() -> Vec<TrainingDoc> {
    let text = "The official said the talks would resume. The minister told Reuters the talks would resume.";
    let value = serde_json::json!({"id": "toy", "text": text, "attributions": [
        {"source": {"start": 0, "end": 12}, "cue": {"start": 13, "end": 17}, "content": {"start": 18, "end": 40}},
        {"source": {"start": 42, "end": 54}, "cue": {"start": 55, "end": 59}, "content": {"start": 68, "end": 90}}]});
    vec![TrainingDoc::from_json(&value).unwrap()]
}

#[test]
fn a_model_with_a_contextual_layer_round_trips_and_knows_its_encoder() {
    let (_dir, encoder) = tiny(4);
    let encoder = Arc::new(encoder);
    let options = TrainOptions {
        epochs: 3,
        cue_bits: 12,
        role_bits: 12,
        context: Some(ContextOptions {
            encoder: encoder.clone(),
            layer: 1,
        }),
        ..TrainOptions::default()
    };
    let docs = training_docs();
    let bytes = train(&docs, &options).to_bytes();
    assert_eq!(
        train(&docs, &options).to_bytes(),
        bytes,
        "same data, options, seed and encoder: same bytes"
    );
    let mut model = Tagger::from_bytes(&bytes).unwrap();
    assert_eq!(model.to_bytes(), bytes);
    assert!(model.needs_encoder());
    assert_eq!(
        (model.info.context_layer, model.info.encoder.as_str()),
        (1, encoder.fingerprint())
    );
    assert!(Tagger::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    // Another encoder is refused; the one it was trained on is taken.
    let (_other_dir, other) = tiny(5);
    assert!(model.attach(Arc::new(other)).is_err());
    model.attach(encoder).unwrap();
    // The fast recipe has no contextual layer.
    let fast = train(
        &docs,
        &TrainOptions {
            context: None,
            ..options
        },
    );
    assert!(!fast.needs_encoder());
}

/// The encoder `make encoder` unpacks (or `CLAIMTRACE_ENCODER`). `make test` sets
/// `CLAIMTRACE_REQUIRE_ENCODER`, so that there a missing encoder fails instead of skipping.
#[expect(clippy::print_stderr, reason = "a skipped check says so")]
pub(crate) fn real_encoder() -> Option<Encoder> {
    let dir = std::env::var_os("CLAIMTRACE_ENCODER").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(claimtrace::extract::tagger::encoder::DEFAULT_DIR),
        PathBuf::from,
    );
    match Encoder::load(&dir) {
        Ok(encoder) => Some(encoder),
        Err(e) if std::env::var_os("CLAIMTRACE_REQUIRE_ENCODER").is_some() => panic!("{e}"),
        Err(e) => {
            eprintln!("skipped: {e} (run `make encoder`)");
            None
        }
    }
}

#[test]
fn the_real_encoder_gives_the_reference_hidden_states() {
    let Some(encoder) = real_encoder() else { return };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/encoder/reference.json");
    let reference: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for sentence in reference["sentences"].as_array().unwrap() {
        let text = sentence["text"].as_str().unwrap();
        let mut ids = Vec::new();
        for word in text.split_whitespace() {
            encoder.pieces(word, &mut ids);
        }
        let want: Vec<u64> = sentence["ids"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(
            ids.iter().map(|&i| u64::from(i)).collect::<Vec<_>>(),
            want[1..want.len() - 1],
            "{text}"
        );
        for layer in 0..=encoder.depth() {
            let hidden = encoder.hidden(&ids, layer);
            for (position, values) in sentence["positions"].as_object().unwrap() {
                let row: usize = position.parse().unwrap();
                for (d, v) in values[layer].as_array().unwrap().iter().enumerate() {
                    let (got, want) = (hidden[[row, d]], v.as_f64().unwrap() as f32);
                    assert!(
                        (got - want).abs() < 1e-4,
                        "{text}: layer {layer} position {row} dim {d}: {got} vs {want}"
                    );
                }
            }
        }
    }
}
