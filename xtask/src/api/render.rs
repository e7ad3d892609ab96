//! Items as the listing prints them: signatures without bodies, doc comments or private
//! fields, printed by `prettyplease` so the text does not depend on how the source is laid
//! out.
//!
//! A function without a body is not an `Item::Fn` for `syn`; it is built as verbatim tokens
//! (`pub fn f(x: u8) -> u8;`), which prettyplease's `verbatim` feature prints like the
//! declarations it is made for.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens as _, quote};
use syn::punctuated::Punctuated;
use syn::{
    Attribute, Expr, Fields, FnArg, Ident, ImplItem, Item, ItemImpl, ItemMacro, Pat, Signature,
    Token, TraitItem, Type, Visibility,
};

use super::tree::{Gate, gate_of, is_hidden, is_pub};

/// The order of kinds inside a module section.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rank {
    Use,
    Mod,
    Macro,
    Const,
    Static,
    Type,
    Trait,
    Fn,
}

/// Attributes that are part of a contract, kept on every item; everything else (docs,
/// `#[inline]`, `#[error(...)]`, lint levels) is dropped. Derives are kept, sorted.
const KEPT: &[&str] = &["non_exhaustive", "repr", "must_use", "deprecated"];

/// The type that stands for private fields until the text is printed.
const PRIVATE: &str = "__xtask_api_private__";

/// A definition, named `name` (its re-exported name when renamed), and the kind it sorts as.
pub(crate) fn definition(item: &Item, name: &str) -> (Rank, String) {
    let ident = Ident::new(name, proc_macro2::Span::call_site());
    let mut item = item.clone();
    let rank = match &mut item {
        Item::Struct(s) => {
            s.attrs = kept(&s.attrs, &[]);
            s.ident = ident;
            hide_private(&mut s.fields);
            Rank::Type
        }
        Item::Enum(e) => {
            e.attrs = kept(&e.attrs, &[]);
            e.ident = ident;
            e.variants = e
                .variants
                .iter()
                .filter(|v| !is_hidden(&v.attrs) && gate_of(&v.attrs).is_some())
                .cloned()
                .map(|mut v| {
                    v.attrs = kept(&v.attrs, &["cfg", "default"]);
                    for field in &mut v.fields {
                        field.attrs = kept(&field.attrs, &["cfg"]);
                    }
                    v
                })
                .collect();
            Rank::Type
        }
        Item::Union(u) => {
            u.attrs = kept(&u.attrs, &[]);
            u.ident = ident;
            let mut fields = Fields::Named(u.fields.clone());
            hide_private(&mut fields);
            if let Fields::Named(named) = fields {
                u.fields = named;
            }
            Rank::Type
        }
        Item::Type(t) => {
            t.attrs = kept(&t.attrs, &[]);
            t.ident = ident;
            Rank::Type
        }
        Item::Trait(t) => {
            t.attrs = kept(&t.attrs, &[]);
            t.ident = ident;
            t.items = t.items.iter().filter_map(trait_member).collect();
            Rank::Trait
        }
        Item::TraitAlias(t) => {
            t.attrs = kept(&t.attrs, &[]);
            t.ident = ident;
            Rank::Trait
        }
        Item::Fn(f) => {
            let attrs = kept(&f.attrs, &[]);
            let mut sig = signature(&f.sig);
            sig.ident = ident;
            let vis = &f.vis;
            item = Item::Verbatim(quote!(#(#attrs)* #vis #sig;));
            Rank::Fn
        }
        Item::Const(c) => {
            c.attrs = kept(&c.attrs, &[]);
            c.ident = ident;
            if !is_value(&c.expr) {
                let (attrs, vis, ident, ty) = (&c.attrs, &c.vis, &c.ident, &c.ty);
                item = Item::Verbatim(quote!(#(#attrs)* #vis const #ident: #ty;));
            }
            Rank::Const
        }
        Item::Static(s) => {
            s.attrs = kept(&s.attrs, &[]);
            s.ident = ident;
            if !is_value(&s.expr) {
                let (attrs, vis, mutability) = (&s.attrs, &s.vis, &s.mutability);
                let (ident, ty) = (&s.ident, &s.ty);
                item = Item::Verbatim(quote!(#(#attrs)* #vis static #mutability #ident: #ty;));
            }
            Rank::Static
        }
        // `defined_name` gives a name to none of the other kinds, so none is exported.
        _ => Rank::Macro,
    };
    let text = print(item)
        .replace(&format!("{PRIVATE}: {PRIVATE},"), "/* private fields */")
        .replace(&format!("{PRIVATE}: {PRIVATE}"), "/* private fields */")
        .replace(PRIVATE, "/* private field */")
        .replace("{\n    /* private fields */\n}", "{ /* private fields */ }");
    (rank, text)
}

/// A macro call at module level (`define_id!(TrackId);`), its doc comments dropped.
pub(crate) fn macro_call(call: &ItemMacro) -> String {
    let mut call = call.clone();
    call.attrs.clear();
    call.mac.tokens = strip_docs(call.mac.tokens);
    print(Item::Macro(call)).trim_end().to_owned()
}

/// `impl Display for Foo` (with its associated types, which are part of what it promises).
pub(crate) fn trait_impl(block: &ItemImpl) -> String {
    let mut block = block.clone();
    block.attrs.clear();
    block.items.retain_mut(|member| match member {
        ImplItem::Type(t) => {
            t.attrs.clear();
            true
        }
        ImplItem::Const(c) => {
            c.attrs.clear();
            true
        }
        _ => false,
    });
    let text = print(Item::Impl(block));
    match text.strip_suffix("{}\n") {
        Some(header) => format!("{}\n", header.trim_end()),
        None => text,
    }
}

/// The header of an inherent impl (`impl<'a> Foo<'a>`), which blocks are merged by.
pub(crate) fn impl_header(block: &ItemImpl) -> String {
    let mut block = block.clone();
    block.attrs.clear();
    block.items.clear();
    print(Item::Impl(block))
}

/// What a member of an inherent impl needs; `None` when only a test build has it.
pub(crate) fn member_gate(member: &ImplItem) -> Option<Gate> {
    let attrs: &[Attribute] = match member {
        ImplItem::Const(c) => &c.attrs,
        ImplItem::Fn(f) => &f.attrs,
        ImplItem::Type(t) => &t.attrs,
        ImplItem::Macro(m) => &m.attrs,
        _ => &[],
    };
    gate_of(attrs)
}

/// A member of an inherent impl as listed, with its sort key (kind, then name).
pub(crate) struct Member {
    key: (u8, String),
    item: ImplItem,
}

/// The listed form of a `pub` member of an inherent impl; `None` for private and hidden
/// members. A macro call is listed as it is, since it may define public methods.
pub(crate) fn public_member(member: &ImplItem) -> Option<Member> {
    let public = |vis: &Visibility, attrs: &[Attribute]| is_pub(vis) && !is_hidden(attrs);
    let (key, item) = match member {
        ImplItem::Const(c) if public(&c.vis, &c.attrs) => {
            let mut c = c.clone();
            c.attrs = kept(&c.attrs, &[]);
            let item = if is_value(&c.expr) {
                ImplItem::Const(c.clone())
            } else {
                let (attrs, vis, ident, ty) = (&c.attrs, &c.vis, &c.ident, &c.ty);
                ImplItem::Verbatim(quote!(#(#attrs)* #vis const #ident: #ty;))
            };
            ((0, c.ident.to_string()), item)
        }
        ImplItem::Type(t) if public(&t.vis, &t.attrs) => {
            let mut t = t.clone();
            t.attrs = kept(&t.attrs, &[]);
            ((1, t.ident.to_string()), ImplItem::Type(t))
        }
        ImplItem::Fn(f) if public(&f.vis, &f.attrs) => {
            let attrs = kept(&f.attrs, &[]);
            let (vis, sig) = (&f.vis, signature(&f.sig));
            let key = (2, f.sig.ident.to_string());
            (key, ImplItem::Verbatim(quote!(#(#attrs)* #vis #sig;)))
        }
        ImplItem::Macro(m) => {
            let mut m = m.clone();
            m.attrs.clear();
            m.mac.tokens = strip_docs(m.mac.tokens);
            let key = (3, m.to_token_stream().to_string());
            (key, ImplItem::Macro(m))
        }
        _ => return None,
    };
    Some(Member { key, item })
}

/// An inherent impl block with these members, sorted by kind and name.
pub(crate) fn inherent_impl(mut block: ItemImpl, mut members: Vec<Member>) -> String {
    members.sort_by(|a, b| a.key.cmp(&b.key));
    block.attrs.clear();
    block.items = members.into_iter().map(|m| m.item).collect();
    print(Item::Impl(block))
}

/// A trait's member without its default body; `None` for hidden and test-only members.
fn trait_member(member: &TraitItem) -> Option<TraitItem> {
    let mut member = member.clone();
    match &mut member {
        TraitItem::Fn(f) => {
            if is_hidden(&f.attrs) || gate_of(&f.attrs).is_none() {
                return None;
            }
            f.attrs = kept(&f.attrs, &["cfg"]);
            f.sig = signature(&f.sig);
            f.default = None;
            f.semi_token = Some(<Token![;]>::default());
        }
        TraitItem::Const(c) => {
            if is_hidden(&c.attrs) || gate_of(&c.attrs).is_none() {
                return None;
            }
            c.attrs = kept(&c.attrs, &["cfg"]);
            c.default = None;
        }
        TraitItem::Type(t) => {
            if is_hidden(&t.attrs) || gate_of(&t.attrs).is_none() {
                return None;
            }
            t.attrs = kept(&t.attrs, &["cfg"]);
            t.default = None;
        }
        TraitItem::Macro(m) => {
            m.attrs.clear();
            m.mac.tokens = strip_docs(m.mac.tokens.clone());
        }
        _ => return None,
    }
    Some(member)
}

/// A signature as a caller sees it: `mut` on a binding (`mut self`, `mut x: u8`) and
/// parameter attributes are the body's business.
fn signature(sig: &Signature) -> Signature {
    let mut sig = sig.clone();
    for arg in &mut sig.inputs {
        match arg {
            FnArg::Typed(typed) => {
                typed.attrs.clear();
                if let Pat::Ident(binding) = typed.pat.as_mut() {
                    binding.mutability = None;
                }
            }
            FnArg::Receiver(receiver) => {
                receiver.attrs.clear();
                receiver.mutability = None;
            }
        }
    }
    sig
}

/// An impl block with its self type written as the listed name (`impl crate::x::Foo` and
/// `impl Foo` are one type; `pub use x::Foo as Bar` lists `impl Bar`), so that neither where
/// the block sits nor how it names the type changes the listing.
pub(crate) fn renamed(block: &ItemImpl, name: &str) -> ItemImpl {
    let mut block = block.clone();
    let mut ty = block.self_ty.as_mut();
    loop {
        ty = match ty {
            Type::Reference(r) => r.elem.as_mut(),
            Type::Paren(p) => p.elem.as_mut(),
            Type::Group(g) => g.elem.as_mut(),
            _ => break,
        };
    }
    if let Type::Path(path) = ty
        && let Some(mut last) = path.path.segments.pop()
    {
        last.ident = Ident::new(name, last.ident.span());
        path.path.leading_colon = None;
        path.path.segments = Punctuated::from_iter([last]);
    }
    block
}

/// Keeps the pub fields; the private ones become one `/* private fields */` line (named) or
/// a `/* private field */` each (tuple), so adding a private field changes nothing.
fn hide_private(fields: &mut Fields) {
    let private_type: Type = syn::parse_str(PRIVATE).expect("invariant: PRIVATE is an identifier");
    match fields {
        Fields::Named(named) => {
            let total = named.named.len();
            named.named = named
                .named
                .iter()
                .filter(|f| is_pub(&f.vis) && !is_hidden(&f.attrs) && gate_of(&f.attrs).is_some())
                .cloned()
                .collect();
            if named.named.len() < total {
                let marker: syn::FieldsNamed =
                    syn::parse_str(&format!("{{ {PRIVATE}: {PRIVATE} }}"))
                        .expect("invariant: `{ name: Type }` parses as named fields");
                named.named.extend(marker.named);
            }
            for field in &mut named.named {
                field.attrs = kept(&field.attrs, &["cfg"]);
            }
        }
        Fields::Unnamed(unnamed) => {
            for field in &mut unnamed.unnamed {
                if is_pub(&field.vis) && !is_hidden(&field.attrs) {
                    field.attrs = kept(&field.attrs, &["cfg"]);
                } else {
                    field.attrs.clear();
                    field.vis = Visibility::Inherited;
                    field.ty = private_type.clone();
                }
            }
        }
        Fields::Unit => {}
    }
}

/// The attributes a listing keeps: [`KEPT`] and `also`, and the derives merged into one
/// sorted `#[derive]` (their order and grouping mean nothing).
fn kept(attrs: &[Attribute], also: &[&str]) -> Vec<Attribute> {
    let mut derives: Vec<syn::Path> = Vec::new();
    let mut out = Vec::new();
    for attr in attrs {
        let path = attr.path();
        if path.is_ident("derive") {
            if let Ok(list) =
                attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                derives.extend(list);
            }
        } else if KEPT.iter().chain(also).any(|name| path.is_ident(name)) {
            out.push(attr.clone());
        }
    }
    if !derives.is_empty() {
        derives.sort_by_cached_key(|p| p.to_token_stream().to_string());
        derives.dedup_by_key(|p| p.to_token_stream().to_string());
        out.insert(0, syn::parse_quote!(#[derive(#(#derives),*)]));
    }
    out
}

/// Whether a constant's value is shown: a literal or a path (`"a"`, `-1`, `Kind::A`) is part
/// of the contract and short; a computed value would be noise.
fn is_value(expr: &Expr) -> bool {
    match expr {
        Expr::Lit(_) | Expr::Path(_) => true,
        Expr::Unary(u) => matches!(u.op, syn::UnOp::Neg(_)) && is_value(&u.expr),
        Expr::Group(g) => is_value(&g.expr),
        Expr::Paren(p) => is_value(&p.expr),
        _ => false,
    }
}

/// Drops `#[doc = ...]` attributes inside macro call tokens (doc comments on the generated
/// items): the listing has no doc comments anywhere.
fn strip_docs(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Punct(p) if p.as_char() == '#' => {
                let doc = matches!(iter.peek(), Some(TokenTree::Group(g))
                    if g.delimiter() == Delimiter::Bracket
                        && matches!(g.stream().into_iter().next(),
                            Some(TokenTree::Ident(i)) if i == "doc"));
                if doc {
                    iter.next();
                } else {
                    out.push(TokenTree::Punct(p));
                }
            }
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), strip_docs(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

fn print(item: Item) -> String {
    prettyplease::unparse(&syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: vec![item],
    })
}
