//! Vocabulary terms as typed constants: claimtrace's own (`ct:`, `ctm:`) and the reused PROV-O,
//! Web Annotation and schema.org terms (DATA-MODEL.md §1–2).

use oxigraph::model::NamedNodeRef;

/// Namespaces, with the prefixes used in serialisations.
pub const PREFIXES: [(&str, &str); 10] = [
    ("ct", ct::NS),
    ("ctm", ctm::NS),
    ("prov", prov::NS),
    ("oa", oa::NS),
    ("schema", schema::NS),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("agent", crate::rdf::iri::AGENT_BASE),
    ("article", crate::rdf::iri::ARTICLE_BASE),
    ("owl", "http://www.w3.org/2002/07/owl#"),
];

macro_rules! terms {
    ($ns:expr; $($(#[$doc:meta])* $name:ident = $local:literal;)*) => {
        $(
            $(#[$doc])*
            pub const $name: NamedNodeRef<'static> = NamedNodeRef::new_unchecked(concat!($ns, $local));
        )*
    };
}

/// `ct:` — claimtrace's terms.
pub mod ct {
    use super::NamedNodeRef;
    /// The namespace.
    pub const NS: &str = "https://w3id.org/claimtrace#";
    terms! { "https://w3id.org/claimtrace#";
        /// Class of reported claims.
        CLAIM = "Claim";
        /// Class of qualified attributions.
        ATTRIBUTION = "Attribution";
        /// Class of text spans.
        SPAN = "Span";
        /// Class of unseen upstream reports passed on by an intermediary.
        RELAY = "Relay";
        /// Class of per-article named graphs.
        ARTICLE_GRAPH = "ArticleGraph";
        /// Class of confidence factors.
        FACTOR = "Factor";
        /// The role of a source in an attribution.
        SOURCE = "Source";
        /// Attribution → its claim.
        CONTENT = "content";
        /// Attribution → cue span.
        CUE = "cue";
        /// Attribution or relay → the span naming the source.
        SOURCE_SPAN = "sourceSpan";
        /// Claim → its span.
        SPAN_PROP = "span";
        /// Span → one of its fragments.
        FRAGMENT = "fragment";
        /// Attribution → the outlet it came through.
        VIA_INTERMEDIARY = "viaIntermediary";
        /// Attribution → its kind.
        ATTRIBUTION_KIND = "attributionKind";
        /// Whether the source is anonymous.
        ANONYMOUS = "anonymous";
        /// How many sources.
        SOURCE_COUNT = "sourceCount";
        /// Agent → its source type.
        SOURCE_TYPE = "sourceType";
        /// The rule that produced an attribution.
        RULE_ID = "ruleId";
        /// Confidence in [0, 1].
        CONFIDENCE = "confidence";
        /// Coarse confidence label.
        CONFIDENCE_LABEL = "confidenceLabel";
        /// Attribution → a factor that fired.
        REASON = "reason";
        /// Factor → its weight.
        WEIGHT = "weight";
        /// Activity → the version of the rules and weights it used.
        RULESET_VERSION = "rulesetVersion";
        /// Article graph → how many attributions it holds (kept in the catalogue).
        ATTRIBUTION_COUNT = "attributionCount";
        /// Article graph → how many claims it holds (kept in the catalogue).
        CLAIM_COUNT = "claimCount";
        /// ct:CorroborationGraph — the named graph of the cross-article results
        CORROBORATION_GRAPH = "CorroborationGraph";
        /// ct:independentRootCount
        INDEPENDENT_ROOT_COUNT = "independentRootCount";
        /// ct:circular
        CIRCULAR = "circular";
        /// ct:rootSource
        ROOT_SOURCE = "rootSource";
        /// ct:deniedBy
        DENIED_BY = "deniedBy";
        /// ct:denial
        DENIAL = "denial";
        /// ct:chokePoint
        CHOKE_POINT = "chokePoint";
        /// ct:belief
        BELIEF = "belief";
        /// ct:disbelief
        DISBELIEF = "disbelief";
        /// ct:uncertainty
        UNCERTAINTY = "uncertainty";
        /// ct:baseRate
        BASE_RATE = "baseRate";
        /// ct:reasonText
        REASON_TEXT = "reasonText";
        /// ct:resolvesTo
        RESOLVES_TO = "resolvesTo";
    }
}

/// `ctm:` — the confidence factors of model v1.
pub mod ctm {
    /// The namespace.
    pub const NS: &str = "https://w3id.org/claimtrace/model/v1#";
}

/// PROV-O.
pub mod prov {
    use super::NamedNodeRef;
    /// The namespace.
    pub const NS: &str = "http://www.w3.org/ns/prov#";
    terms! { "http://www.w3.org/ns/prov#";
        /// prov:Agent
        AGENT = "Agent";
        /// prov:Person
        PERSON = "Person";
        /// prov:Organization
        ORGANIZATION = "Organization";
        /// prov:SoftwareAgent
        SOFTWARE_AGENT = "SoftwareAgent";
        /// prov:Activity
        ACTIVITY = "Activity";
        /// prov:wasAttributedTo
        WAS_ATTRIBUTED_TO = "wasAttributedTo";
        /// prov:qualifiedAttribution
        QUALIFIED_ATTRIBUTION = "qualifiedAttribution";
        /// prov:agent
        AGENT_PROP = "agent";
        /// prov:hadRole
        HAD_ROLE = "hadRole";
        /// prov:wasDerivedFrom
        WAS_DERIVED_FROM = "wasDerivedFrom";
        /// prov:wasGeneratedBy
        WAS_GENERATED_BY = "wasGeneratedBy";
        /// prov:wasAssociatedWith
        WAS_ASSOCIATED_WITH = "wasAssociatedWith";
        /// prov:specializationOf
        SPECIALIZATION_OF = "specializationOf";
    }
}

/// Web Annotation.
pub mod oa {
    use super::NamedNodeRef;
    /// The namespace.
    pub const NS: &str = "http://www.w3.org/ns/oa#";
    terms! { "http://www.w3.org/ns/oa#";
        /// oa:hasSource
        HAS_SOURCE = "hasSource";
        /// oa:start
        START = "start";
        /// oa:end
        END = "end";
        /// oa:exact
        EXACT = "exact";
    }
}

/// schema.org.
pub mod schema {
    use super::NamedNodeRef;
    /// The namespace.
    pub const NS: &str = "http://schema.org/";
    terms! { "http://schema.org/";
        /// schema:NewsArticle
        NEWS_ARTICLE = "NewsArticle";
        /// schema:NewsMediaOrganization
        NEWS_MEDIA_ORGANIZATION = "NewsMediaOrganization";
        /// schema:text
        TEXT = "text";
        /// schema:identifier
        IDENTIFIER = "identifier";
        /// schema:datePublished
        DATE_PUBLISHED = "datePublished";
        /// schema:name
        NAME = "name";
        /// schema:jobTitle
        JOB_TITLE = "jobTitle";
        /// schema:affiliation
        AFFILIATION = "affiliation";
        /// schema:publisher
        PUBLISHER = "publisher";
        /// schema:Claim
        CLAIM = "Claim";
        /// schema:url
        URL = "url";
        /// schema:headline
        HEADLINE = "headline";
    }
}
