//! RDF serialisations through Oxigraph's serialisers.

use super::format::ExtractFormat;
use crate::error::ReportError;
use crate::rdf::vocab::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, Quad, QuadRef};
use std::io::Write;

/// The Oxigraph format of an RDF output format (`None` for JSON Lines).
pub fn rdf_format(format: ExtractFormat) -> Option<RdfFormat> {
    match format {
        ExtractFormat::Turtle => Some(RdfFormat::Turtle),
        ExtractFormat::TriG => Some(RdfFormat::TriG),
        ExtractFormat::NQuads => Some(RdfFormat::NQuads),
        ExtractFormat::JsonLd => RdfFormat::from_extension("jsonld"),
        ExtractFormat::Jsonl => None,
    }
}

/// Writes `quads` as `format`. Turtle cannot hold named graphs: every quad becomes a triple.
pub fn write_quads(out: &mut dyn Write, quads: &[Quad], format: RdfFormat) -> Result<(), ReportError> {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(prefix, iri)
                .map_err(|e| ReportError::Rdf(e.to_string()))?;
        }
    }
    let mut writer = serializer.for_writer(out);
    for quad in quads {
        if format == RdfFormat::Turtle {
            let triple = QuadRef::new(&quad.subject, &quad.predicate, &quad.object, &GraphName::DefaultGraph);
            writer.serialize_quad(triple)?;
        } else {
            writer.serialize_quad(quad)?;
        }
    }
    writer.finish()?;
    Ok(())
}
