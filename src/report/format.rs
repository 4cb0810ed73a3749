//! Output formats. Each is a `Copy` enum with its name, the list of names for `--help`, and a parser
//! from a name (the shape of Oxigraph's `RdfFormat`).

use std::fmt;

macro_rules! output_format {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal $(| $alias:literal)*,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every accepted name (first the canonical ones, then aliases).
            pub const NAMES: &'static [&'static str] = &[$($text,)* $($($alias,)*)*];

            /// The canonical name.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }

            /// The format called `name` (canonical or alias), if any.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text $(| $alias)* => Some($name::$variant),)*
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

output_format! {
    /// What `extract` writes.
    ///
    /// ```
    /// use claimtrace::report::ExtractFormat;
    /// assert_eq!(ExtractFormat::from_name("ttl"), Some(ExtractFormat::Turtle));
    /// assert_eq!(ExtractFormat::JsonLd.name(), "jsonld");
    /// ```
    ExtractFormat {
        /// Turtle: every triple, graphs merged.
        Turtle = "turtle" | "ttl",
        /// TriG: the catalogue and one named graph per article.
        TriG = "trig",
        /// N-Quads.
        NQuads = "nquads" | "nq",
        /// JSON-LD.
        JsonLd = "jsonld" | "json-ld",
        /// One JSON object per document (the evaluation contract).
        Jsonl = "jsonl",
    }
}

output_format! {
    /// What `report` writes.
    ///
    /// ```
    /// use claimtrace::report::ReportFormat;
    /// assert_eq!(ReportFormat::from_name("markdown"), Some(ReportFormat::Markdown));
    /// ```
    ReportFormat {
        /// Plain text.
        Text = "text",
        /// Markdown.
        Markdown = "md" | "markdown",
        /// JSON.
        Json = "json",
        /// Graphviz DOT.
        Dot = "dot",
        /// SVG, drawn by Graphviz's `dot`.
        Svg = "svg",
    }
}

output_format! {
    /// What listing commands (`claims`, `sources`) write.
    ///
    /// ```
    /// use claimtrace::report::ListFormat;
    /// assert_eq!(ListFormat::from_name("json"), Some(ListFormat::Json));
    /// ```
    ListFormat {
        /// An aligned table.
        Table = "table",
        /// JSON.
        Json = "json",
    }
}

output_format! {
    /// What `trace` writes.
    ///
    /// ```
    /// use claimtrace::report::TraceFormat;
    /// assert_eq!(TraceFormat::from_name("text"), Some(TraceFormat::Text));
    /// ```
    TraceFormat {
        /// Plain text.
        Text = "text",
        /// JSON.
        Json = "json",
    }
}

output_format! {
    /// What `query` writes.
    ///
    /// ```
    /// use claimtrace::report::QueryFormat;
    /// assert_eq!(QueryFormat::from_name("tsv"), Some(QueryFormat::Tsv));
    /// ```
    QueryFormat {
        /// An aligned table.
        Table = "table",
        /// SPARQL results CSV.
        Csv = "csv",
        /// SPARQL results TSV.
        Tsv = "tsv",
        /// SPARQL results JSON.
        Json = "json",
        /// SPARQL results XML.
        Xml = "xml",
    }
}

output_format! {
    /// What `corroboration` writes.
    ///
    /// ```
    /// use claimtrace::report::CorroborationFormat;
    /// assert_eq!(CorroborationFormat::from_name("markdown"), Some(CorroborationFormat::Markdown));
    /// ```
    CorroborationFormat {
        /// Plain text.
        Text = "text",
        /// Markdown.
        Markdown = "md" | "markdown",
        /// JSON: an array of clusters (the `corroboration` contract).
        Json = "json",
        /// Graphviz DOT: each cluster's reports, relays, roots, circular paths and deniers.
        Dot = "dot",
        /// SVG, drawn by Graphviz's `dot`.
        Svg = "svg",
        /// TriG: the graph `corroboration --save` stores.
        TriG = "trig",
        /// N-Quads: the same graph.
        NQuads = "nquads" | "nq",
    }
}
