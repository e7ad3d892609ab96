//! The header extensions of an answer, and the ids it chooses.
//!
//! RFC 8285 §7: an offerer short of ids may map an extension to an id in 4096-4351, which says
//! "I support it, you pick the id". Such an id is never usable on the wire (RFC 8285 §5: only
//! 1-14 in the one-byte form, 1-255 in the two-byte form), so an answer that accepts the
//! extension maps it to a valid id of its own choosing, and never writes 4096-4351.

use std::collections::BTreeMap;

use tacet_sdp::SessionDescription;
use tacet_track::TrackKind;

use super::{CodecConfig, Registry};
use crate::vocab;

/// Ids offered for the answerer to choose (RFC 8285 §7).
const ANSWERER_CHOOSES: std::ops::RangeInclusive<u16> = 4096..=4351;

/// The ids an answer gives the extensions its offer left to it, one per URI for the whole
/// answer: the id names one extension in every bundled section (RFC 9143 §12).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct AnswerIds(BTreeMap<String, u16>);

impl AnswerIds {
    /// Chooses an id for every supported extension `offer` maps to 4096-4351, in offer order.
    /// The id is the first of these that no other URI uses in the offer or in the registry:
    /// the id the offer gives the same URI elsewhere; the id registered for it (stable across
    /// negotiations, Chromium refuses an "RTP extension ID reassignment"); its configured
    /// preferred id; any one-byte id (1-14); any two-byte id (15-255) when the offer allows
    /// mixed headers (`a=extmap-allow-mixed`, RFC 8285 §6). With none left, the extension is
    /// not answered (an answerer may decline any extension, RFC 8285 §7).
    pub(crate) fn new(
        config: &CodecConfig,
        registry: &Registry,
        offer: &SessionDescription,
    ) -> Self {
        let two_byte = offer.attributes.extmap_allow_mixed()
            || offer
                .media
                .iter()
                .any(|m| m.attributes.extmap_allow_mixed());
        let valid = |id: &u16| (1..=14).contains(id) || (two_byte && (15..=255).contains(id));
        // Who holds each usable id: the offer's mappings first, then the registry's.
        let mut holder: BTreeMap<u16, String> = BTreeMap::new();
        let offered = offer
            .media
            .iter()
            .flat_map(|m| m.attributes.extmaps().map(|e| (e.uri(), e.id())));
        for (uri, id) in offered
            .filter(|(_, id)| !ANSWERER_CHOOSES.contains(id))
            .chain(registry.extension_ids())
        {
            holder.entry(id).or_insert_with(|| uri.to_owned());
        }
        let mut chosen = BTreeMap::new();
        for section in &offer.media {
            let Some(media) = vocab::track_kind(&section.kind) else {
                continue;
            };
            for ext in section.attributes.extmaps() {
                let uri = ext.uri();
                if !ANSWERER_CHOOSES.contains(&ext.id())
                    || chosen.contains_key(uri)
                    || !supports(config, media, uri)
                {
                    continue;
                }
                let free = |id: &u16| valid(id) && holder.get(id).is_none_or(|u| u == uri);
                let in_offer = offer
                    .media
                    .iter()
                    .flat_map(|m| m.attributes.extmaps())
                    .filter(|e| e.uri() == uri && !ANSWERER_CHOOSES.contains(&e.id()))
                    .map(|e| e.id());
                let registered = registry
                    .extension_ids()
                    .filter(|(u, _)| *u == uri)
                    .map(|(_, id)| id);
                let preferred = config
                    .audio_extensions
                    .iter()
                    .chain(&config.video_extensions)
                    .filter(|(u, _)| u == uri)
                    .map(|(_, id)| *id);
                let id = in_offer
                    .chain(registered)
                    .chain(preferred)
                    .chain(1..=255)
                    .find(free);
                if let Some(id) = id {
                    holder.insert(id, uri.to_owned());
                    chosen.insert(uri.to_owned(), id);
                }
            }
        }
        Self(chosen)
    }
}

/// Whether tacet answers the extension `uri` for `media`.
fn supports(config: &CodecConfig, media: TrackKind, uri: &str) -> bool {
    config.extensions(media).iter().any(|(u, _)| u == uri)
}

/// The answer's extensions (RFC 8285 §7, RFC 9429 §5.3.1): the offered ones tacet supports, in
/// the offer's order, with the offer's ids — except that an id the offer left to the answerer
/// (4096-4351) becomes the one `ids` chose, and the extension is left out when none was.
pub(crate) fn answer_extensions(
    config: &CodecConfig,
    media: TrackKind,
    offered: &[(String, u16)],
    ids: &AnswerIds,
) -> Vec<(String, u16)> {
    offered
        .iter()
        .filter(|(uri, _)| supports(config, media, uri))
        .filter_map(|(uri, id)| {
            let id = if ANSWERER_CHOOSES.contains(id) {
                *ids.0.get(uri)?
            } else {
                *id
            };
            Some((uri.clone(), id))
        })
        .collect()
}
