#!/usr/bin/env python3
"""Scraped-page layouts for the extraction tests and benchmark.

Each layout wraps one article (title, paragraphs) in the furniture of a kind of site
that news really comes from: WordPress and Elementor themes, Chorus-style segmented
bodies, pages whose class names hold "sidebar", "breadcrumb" or "menu", teaser rails
above the story, related posts nested in it, comments, live blogs, galleries, AMP,
ASP.NET forms around everything, table layouts, `<br>`-separated blogs, JSON-LD-only
pages, paywall containers and pages nested thousands of levels deep.

The ground truth of a page is its article's paragraphs and subheadings, one a line:
what the benchmark this mirrors counts as the article body (no headline, byline,
captions or furniture).

    python3 bench/pages.py --corpus corpus --corpus tests/pages/extra --out tests/pages     # the test fixtures
    python3 bench/pages.py --reuters ../shared/data/reuters21578 --out /tmp/pages --count 200

Writes OUT/NAME.html and OUT/NAME.txt (the truth)."""
import argparse
import html
import json
import random
import re
import zlib
from pathlib import Path

E = html.escape


class Article:
    def __init__(self, title, paragraphs, date="2024-05-02", author=None, source="The Daily Ledger", lang="en"):
        self.title = title
        self.paragraphs = paragraphs
        self.date = date
        self.author = author or "Staff reporter"
        self.source = source
        self.lang = lang

    def truth(self):
        return "\n".join(self.paragraphs)


class Furniture:
    """Distractor text taken from the other articles: teaser headlines and excerpts,
    comment sentences, navigation words."""

    def __init__(self, articles, rng):
        self.articles = articles
        self.rng = rng

    def teasers(self, n, avoid):
        pool = [a for a in self.articles if a is not avoid]
        picks = self.rng.sample(pool, min(n, len(pool)))
        return [(a.title, excerpt(a.paragraphs[0])) for a in picks]

    def sentences(self, n, avoid):
        pool = [s for a in self.articles if a is not avoid for p in a.paragraphs for s in split_sentences(p)]
        return self.rng.sample(pool, min(n, len(pool)))

    def nav(self, n=9):
        words = ["Home", "World", "Business", "Politics", "Science", "Culture", "Sport", "Opinion",
                 "Climate", "Technology", "Health", "Travel", "Video", "Podcasts", "Newsletters", "Obituaries"]
        return self.rng.sample(words, n)


def excerpt(text, words=24):
    w = text.split()
    return " ".join(w[:words]) + ("…" if len(w) > words else "")


def split_sentences(text):
    return [s for s in re.split(r"(?<=[.!?。])\s+", text) if len(s.split()) >= 6 or len(s) > 30]


def links(words, cls=""):
    return "".join(f'<li class="{cls}"><a href="/{w.lower()}">{E(w)}</a></li>' for w in words)


def head(a, extra=""):
    return f"""<!DOCTYPE html><html lang="{a.lang}"><head><meta charset="utf-8">
<title>{E(a.title)} | {E(a.source)}</title>
<meta property="og:title" content="{E(a.title)}"><meta property="og:site_name" content="{E(a.source)}">
<meta property="article:published_time" content="{a.date}T09:30:00Z"><meta name="author" content="{E(a.author)}">
<link rel="stylesheet" href="/style.css"><script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments)}};gtag('js', new Date());</script>
{extra}</head>"""


def ps(paragraphs, attrs=""):
    return "\n".join(f"<p{attrs}>{inline(p)}</p>" if not p.startswith("## ") else f"<h2>{E(p[3:])}</h2>" for p in paragraphs)


def inline(p):
    """Some words of a paragraph become links or emphasis, as in real copy."""
    words = p.split(" ")
    if len(words) > 12:
        i = len(words) // 3
        words = [E(w) for w in words]
        words[i] = f'<a href="/topic/{re.sub(r"[^a-z]", "", words[i].lower())}">{words[i]}</a>'
        j = 2 * len(words) // 3
        if j != i:
            words[j] = f"<em>{words[j]}</em>"
        return " ".join(words)
    return E(p)


def cookie():
    return """<div id="cookie-consent" class="cookie-banner modal" role="dialog"><p>We and our partners use cookies to personalise content and ads, to provide social media features and to analyse our traffic. You can change your choice at any time by visiting Cookie Settings.</p><button>Accept all</button><button>Manage</button></div>"""


def site_footer(a, f):
    return f"""<footer class="site-footer"><ul>{links(["About us", "Contact", "Careers", "Advertise", "Privacy policy", "Terms of use"])}</ul>
<p>© 2024 {E(a.source)}. All rights reserved. No part of this site may be reproduced without our written permission, except where the law allows it.</p></footer>"""


# ---------------------------------------------------------------- layouts

def wordpress(a, f):
    comments = "".join(
        f'<li class="comment"><article class="comment-body"><footer class="comment-meta"><b class="fn">Reader{i}</b> <time>May {i + 3}, 2024 at 10:0{i}</time></footer><div class="comment-content"><p>{E(s)}</p></div><div class="reply"><a class="comment-reply-link">Reply</a></div></article></li>'
        for i, s in enumerate(f.sentences(6, a)))
    widgets = "".join(f'<li><a href="#">{E(t)}</a></li>' for t, _ in f.teasers(5, a))
    return head(a) + f"""<body class="post-template-default single single-post">
<div id="page" class="site"><a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding"><p class="site-title"><a href="/">{E(a.source)}</a></p><p class="site-description">News from the valley since 1998</p></div>
<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{links(f.nav())}</ul></nav></header>
<div id="content" class="site-content"><div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-1234" class="post-1234 post type-post status-publish format-standard hentry category-news">
<header class="entry-header"><h1 class="entry-title">{E(a.title)}</h1><div class="entry-meta"><span class="posted-on">Posted on <time class="entry-date published">{a.date}</time></span><span class="byline"> by <a class="url fn n">{E(a.author)}</a></span></div></header>
<div class="entry-content">{ps(a.paragraphs)}
<div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li>Twitter</li><li>Facebook</li></ul></div></div>
<footer class="entry-footer"><span class="cat-links">Posted in <a>News</a></span></footer></article>
<nav class="navigation post-navigation"><a rel="prev">Previous post</a><a rel="next">Next post</a></nav>
<div id="comments" class="comments-area"><h2 class="comments-title">6 thoughts on “{E(a.title)}”</h2><ol class="comment-list">{comments}</ol>
<div id="respond" class="comment-respond"><h3>Leave a Reply</h3><form><p class="comment-notes">Your email address will not be published. Required fields are marked *</p><textarea></textarea></form></div></div>
</main></div>
<aside id="secondary" class="widget-area"><section class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{widgets}</ul></section></aside></div>
{site_footer(a, f)}</div></body></html>"""


def chorus(a, f):
    """Vox-style: the body sits in several `l-sidebar-fixed l-article-body-segment` blocks."""
    paras = a.paragraphs
    cut = max(1, len(paras) // 2)
    segs = [paras[:cut], paras[cut:]] if len(paras) > 1 else [paras]
    body = '\n<div class="c-ad-slot"><div class="adunit">Advertisement</div></div>\n'.join(
        f'<div class="l-sidebar-fixed l-segment l-article-body-segment"><div class="l-col__main"><div class="c-entry-content">{ps(s)}</div></div>'
        f'<div class="l-col__sidebar"><div class="c-related-list"><h3>Most popular</h3><ul>{"".join(f"<li><a>{E(t)}</a></li>" for t, _ in f.teasers(3, a))}</ul></div></div></div>'
        for s in segs if s)
    return head(a) + f"""<body class="entry-template">
<div class="l-root l-reskin"><header class="l-header"><nav class="c-global-header">{links(f.nav())}</nav></header>
<div class="l-main-content"><div class="l-segment l-main-content"><div class="c-entry-hero"><h1 class="c-page-title">{E(a.title)}</h1>
<p class="c-entry-summary">A short dek that sits under the headline of the story.</p><div class="c-byline">By <a>{E(a.author)}</a> Updated {a.date}</div></div>
{body}
<div class="c-newsletter_signup_box"><h2>Sign up for the newsletter Today, Explained</h2><p>Understand the world with a daily explainer plus the most compelling stories of the day.</p></div>
</div></div>{site_footer(a, f)}</div></body></html>"""


def breadcrumb_article(a, f):
    """Hollywood Reporter-style: the `<article>` itself carries `url-breadcrumb` classes."""
    return head(a) + f"""<body class="single pmc-core">
<div class="pmc-cookie-settings" id="cookie-settings"><a href="#">Cookie Settings</a></div>
<header class="header"><nav class="site-nav">{links(f.nav())}</nav></header>
<div class="lrv-a-wrapper"><article class="a-content lrv-u-padding-b-2 url-breadcrumb a-span2@tablet">
<div class="breadcrumbs"><a>News</a> › <a>Business</a></div><h1 class="article-title">{E(a.title)}</h1>
<div class="author">By {E(a.author)}</div>
<div class="a-content pmc-paywall">{ps(a.paragraphs)}</div>
<div class="article-tags"><a>Tags</a></div></article></div>
<div class="o-more-from-heading"><h2>More from us</h2><ul>{"".join(f"<li><a>{E(t)}</a></li>" for t, _ in f.teasers(6, a))}</ul></div>
{site_footer(a, f)}</body></html>"""


def menu_body(a, f):
    """`<body class="… menu …">` and containers named header, modal, promotion, advertising."""
    return head(a) + f"""<body class="home menu-open has-header advertising-enabled">
<div class="header-wrap"><div class="header-top"><a class="logo">{E(a.source)}</a></div><ul class="menu-items">{links(f.nav())}</ul></div>
<div class="page-wrapper promotion-space"><div class="container modal-ready">
<div class="header-article"><h1>{E(a.title)}</h1><span class="date">{a.date}</span></div>
<div class="text-block advertising-free">{ps(a.paragraphs)}</div>
<div class="promotion-box"><a href="/subscribe">Subscribe for 1 euro a month</a></div>
</div></div>{site_footer(a, f)}</body></html>"""


def elementor(a, f):
    """Elementor theme with a grid of related-post cards (each an `<article>` with an excerpt)."""
    cards = "".join(
        f'<article class="elementor-post elementor-grid-item post type-post"><div class="elementor-post__text"><h3 class="elementor-post__title"><a href="/p/{i}">{E(t)}</a></h3>'
        f'<div class="elementor-post__excerpt"><p>{E(x)}</p></div><a class="elementor-post__read-more" href="/p/{i}">Read More »</a></div></article>'
        for i, (t, x) in enumerate(f.teasers(6, a)))
    return head(a) + f"""<body class="elementor-default elementor-kit-5">
<div data-elementor-type="header" class="elementor elementor-location-header"><nav class="elementor-nav-menu">{links(f.nav())}</nav></div>
<div data-elementor-type="single-post" class="elementor elementor-location-single post-77 post type-post">
<div class="elementor-widget elementor-widget-theme-post-title"><div class="elementor-widget-container"><h1 class="elementor-heading-title">{E(a.title)}</h1></div></div>
<div class="elementor-widget elementor-widget-post-info"><ul><li>{E(a.author)}</li><li>{a.date}</li></ul></div>
<div class="elementor-widget elementor-widget-theme-post-content"><div class="elementor-widget-container">{ps(a.paragraphs)}</div></div>
<div class="elementor-widget elementor-widget-share-buttons"><div class="elementor-share-btn">Share on Facebook</div></div>
<div class="elementor-widget elementor-widget-posts"><h2>Related posts</h2><div class="elementor-posts-container elementor-grid">{cards}</div></div>
</div>{site_footer(a, f)}</body></html>"""


def nested_related(a, f):
    """A related post nested inside the real `<article>`, halfway through the story."""
    (t, x), = f.teasers(1, a)
    cut = max(1, len(a.paragraphs) // 2)
    return head(a) + f"""<body><header><nav>{links(f.nav())}</nav></header>
<main><article class="story"><h1>{E(a.title)}</h1><p class="byline">By {E(a.author)}</p>
<div class="story-body">{ps(a.paragraphs[:cut])}
<article class="related-post card"><a href="/other"><h4>{E(t)}</h4></a><p>{E(x)}</p><a href="/other">Read the full story</a></article>
{ps(a.paragraphs[cut:])}</div></article></main>{site_footer(a, f)}</body></html>"""


def teasers_above(a, f):
    """A rail of teaser `<article>`s above the story, each with a headline and an excerpt."""
    rail = "".join(
        f'<article class="teaser"><h3><a href="/t/{i}">{E(t)}</a></h3><p class="teaser-text">{E(x)}</p></article>'
        for i, (t, x) in enumerate(f.teasers(5, a)))
    return head(a) + f"""<body><div class="top"><nav>{links(f.nav())}</nav></div>
<section class="latest">{rail}</section>
<div class="main-story"><h1>{E(a.title)}</h1><div class="meta">{E(a.author)} · {a.date}</div>
<div class="story">{ps(a.paragraphs)}</div></div>{site_footer(a, f)}</body></html>"""


def div_paragraphs(a, f):
    """Paragraphs as `<div>`s with no `<p>` (CNN-style), a "read more" rail after."""
    paras = "".join(f'<div class="paragraph inline-placeholder" data-component-name="paragraph">{inline(p)}</div>' for p in a.paragraphs)
    return head(a) + f"""<body><div class="header__wrapper"><nav class="header__nav">{links(f.nav())}</nav></div>
<div class="layout__content"><h1 class="headline__text">{E(a.title)}</h1><div class="byline__names">{E(a.author)}, {E(a.source)}</div>
<div class="article__content">{paras}</div>
<div class="related-content"><h2>More from {E(a.source)}</h2>{"".join(f'<div class="card"><a><span>{E(t)}</span></a></div>' for t, _ in f.teasers(6, a))}</div>
</div>{site_footer(a, f)}</body></html>"""


COLUMN_P = ' class="css-at9mc1 evys1bk0"'


def companion_columns(a, f):
    """NYT-style `section[name=articleBody]` split into companion columns with ads between."""
    cols = "".join(
        f'<div class="css-53u6y8 StoryBodyCompanionColumn"><div class="css-1fanzo5">{ps([p], COLUMN_P)}</div></div>'
        + ('<div class="ad dfp-ad-mid"><p class="ad-label">Advertisement</p></div>' if i % 2 else "")
        for i, p in enumerate(a.paragraphs))
    return head(a) + f"""<body><div id="app"><header class="css-header"><nav>{links(f.nav())}</nav></header>
<main id="site-content"><article id="story"><header><h1 data-testid="headline">{E(a.title)}</h1><p class="byline">By {E(a.author)}</p><time>{a.date}</time></header>
<section name="articleBody" itemprop="articleBody">{cols}</section>
<div class="bottom-of-article"><p>A version of this article appears in print, Section A, Page 1 of the New York edition.</p></div></article>
<div class="related-links"><h2>Related Coverage</h2><ul>{"".join(f"<li><a>{E(t)}</a></li>" for t, _ in f.teasers(4, a))}</ul></div></main>{site_footer(a, f)}</div></body></html>"""


def aspnet_form(a, f):
    """The whole body wrapped in one `<form>`, as ASP.NET WebForms sites do."""
    return head(a) + f"""<body><form method="post" action="./story.aspx?id=77" id="aspnetForm">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="abc"></div>
<div id="ctl00_header" class="header"><ul class="menu">{links(f.nav())}</ul></div>
<div id="ctl00_ContentPlaceHolder1_pnlStory" class="story"><span id="ctl00_lblTitle" class="title"><h1>{E(a.title)}</h1></span>
<span id="ctl00_lblDate">{a.date}</span><div id="ctl00_ContentPlaceHolder1_lblBody">{ps(a.paragraphs)}</div></div>
<div id="ctl00_rightColumn" class="sidebar"><h3>Most read</h3><ul>{"".join(f"<li><a>{E(t)}</a></li>" for t, _ in f.teasers(5, a))}</ul></div>
{site_footer(a, f)}</form></body></html>"""


def table_layout(a, f):
    """An old table layout with `<font>` and `<br><br>` between paragraphs."""
    text = "<br><br>\n".join(E(p) for p in a.paragraphs)
    return head(a) + f"""<body bgcolor="#ffffff"><table width="100%" border="0"><tr><td colspan="2"><img src="/logo.gif" alt="{E(a.source)}"></td></tr>
<tr><td width="160" valign="top" class="nav"><font size="1">{"<br>".join(f'<a href="/{w}">{w}</a>' for w in f.nav())}</font></td>
<td valign="top"><font face="Arial" size="2"><b><font size="4">{E(a.title)}</font></b><br><i>{a.date}</i><br><br>
{text}<br><br></font></td></tr>
<tr><td colspan="2"><font size="1">Copyright 2004 {E(a.source)}. Contact the webmaster.</font></td></tr></table></body></html>"""


def br_blog(a, f):
    """A Blogger post: text separated by `<br>` inside `div.post-body`, comments after."""
    text = "<br />\n<br />\n".join(E(p) for p in a.paragraphs)
    comments = "".join(f'<dt class="comment-author">Anon{i} said...</dt><dd class="comment-body"><p>{E(s)}</p></dd>' for i, s in enumerate(f.sentences(5, a)))
    return head(a) + f"""<body><div class="outer-wrapper"><div class="header-outer"><h1 class="title">{E(a.source)}</h1></div>
<div class="main-inner"><div class="date-outer"><h2 class="date-header"><span>{a.date}</span></h2>
<div class="post hentry"><h3 class="post-title entry-title">{E(a.title)}</h3><div class="post-body entry-content">{text}</div>
<div class="post-footer">Posted by {E(a.author)} at 9:41 AM <a>No comments</a></div></div></div>
<div class="comments" id="comments"><h4>5 comments:</h4><dl id="comments-block">{comments}</dl></div></div>
<div class="sidebar-container"><div class="widget BlogArchive"><h2>Blog Archive</h2><ul>{links(["2024 (12)", "2023 (40)", "2022 (31)"])}</ul></div></div></div></body></html>"""


def live_blog(a, f):
    """A live blog: every paragraph is its own timed entry; a key-events list above."""
    entries = "".join(
        f'<article class="block live-entry" id="block-{i}"><header class="block-time"><time>{9 + i // 2:02d}:{(i * 17) % 60:02d}</time></header><div class="block-elements">{ps([p])}</div><footer class="block-share">Share</footer></article>'
        for i, p in enumerate(a.paragraphs))
    return head(a) + f"""<body><header><nav>{links(f.nav())}</nav></header>
<div class="live-page"><h1>{E(a.title)}</h1><div class="live-badge">LIVE</div>
<div class="key-events"><h2>Key events</h2><ul>{"".join(f'<li><a href="#block-{i}">{E(excerpt(p, 6))}</a></li>' for i, p in enumerate(a.paragraphs[:4]))}</ul></div>
<div class="live-blog-body">{entries}</div></div>{site_footer(a, f)}</body></html>"""


def gallery(a, f):
    """A gallery: each paragraph describes a photo in its slide, with a credit line."""
    slides = "".join(
        f'<div class="gallery-slide"><figure><img src="/img/{i}.jpg"><figcaption class="credit">Photo: Agency {i}</figcaption></figure><div class="slide-text"><p>{inline(p)}</p></div><span class="counter">{i + 1} / {len(a.paragraphs)}</span></div>'
        for i, p in enumerate(a.paragraphs))
    return head(a) + f"""<body><header class="site-header"><nav>{links(f.nav())}</nav></header>
<div class="gallery-page"><h1>{E(a.title)}</h1><div class="gallery">{slides}</div>
<div class="gallery-nav"><a>Previous gallery</a><a>Next gallery</a></div></div>
<div class="more-galleries"><h2>More galleries</h2>{"".join(f'<div class="thumb"><a>{E(t)}</a></div>' for t, _ in f.teasers(4, a))}</div>{site_footer(a, f)}</body></html>"""


def amp(a, f):
    """An AMP page: custom elements, `amp-ad` slots, a sidebar drawer of links."""
    return f"""<!doctype html><html ⚡ lang="{a.lang}"><head><meta charset="utf-8"><title>{E(a.title)}</title>
<link rel="canonical" href="https://news.example/{zlib.crc32(a.title.encode()) % 10000}"><script async src="https://cdn.ampproject.org/v0.js"></script>
<style amp-custom>body{{font-family:serif}}</style><script type="application/ld+json">{{"@context":"http://schema.org","@type":"NewsArticle","headline":{json.dumps(a.title)},"datePublished":"{a.date}"}}</script></head>
<body><amp-sidebar id="sidebar" layout="nodisplay"><ul>{links(f.nav())}</ul></amp-sidebar>
<header class="amp-header"><a class="amp-logo">{E(a.source)}</a></header>
<article class="amp-article"><h1 class="amp-title">{E(a.title)}</h1><div class="amp-byline">{E(a.author)}</div>
<amp-img src="/lead.jpg" width="600" height="400" layout="responsive"></amp-img>
<div class="amp-article-body">{ps(a.paragraphs[:2])}<amp-ad width="300" height="250" type="doubleclick"><div placeholder>Advertisement</div></amp-ad>{ps(a.paragraphs[2:])}</div></article>
<amp-social-share type="twitter"></amp-social-share>{site_footer(a, f)}</body></html>"""


def paywall(a, f):
    """The story's text inside a container classed `paywall` (visible to the scraper)."""
    return head(a) + f"""<body><header><nav>{links(f.nav())}</nav></header>
<main><h1>{E(a.title)}</h1><p class="byline">By {E(a.author)}</p>
<div class="article-body paywall" data-paywall="metered">{ps(a.paragraphs)}</div>
<div class="paywall-prompt"><p>Subscribe to keep reading.</p></div></main>{site_footer(a, f)}</body></html>"""


def json_ld_only(a, f):
    """A script-rendered page: the DOM is a shell with teasers; JSON-LD holds the story."""
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.title,
          "datePublished": a.date, "author": {"@type": "Person", "name": a.author},
          "articleBody": "\n\n".join(p[3:] if p.startswith("## ") else p for p in a.paragraphs)}
    return head(a, f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>') + f"""<body>
<div id="root"><div class="app-shell"><nav>{links(f.nav())}</nav><div class="loading">Loading…</div>
<div class="trending"><h2>Trending</h2>{"".join(f'<div class="trend"><a>{E(t)}</a><p>{E(x)}</p></div>' for t, x in f.teasers(3, a))}</div></div></div>
<script src="/app.js"></script></body></html>"""


def deep(a, f):
    """Nested thousands of levels deep (unclosed `<font>`/`<div>`), with inline scripts."""
    script = "<script>var config = {" + ", ".join(f'"k{i}": "value number {i} for tracking"' for i in range(400)) + "};</script>"
    return head(a) + f"""<body>{'<div class="w">' * 700}<nav>{links(f.nav())}</nav>{script}
<div class="article"><h1>{E(a.title)}</h1>{ps(a.paragraphs)}</div>{script}
<div class="foot">Contact us</div>{'</div>' * 700}</body></html>"""


def body_fallback(a, f):
    """No article or main element: menus, a breaking-news ticker and headline lists around plain divs."""
    ticker = " • ".join(t for t, _ in f.teasers(5, a))
    return head(a) + f"""<body><div id="top"><div class="logo">{E(a.source)}</div><div class="links">{" | ".join(f'<a href="/{w}">{w}</a>' for w in f.nav(12))}</div></div>
<div class="ticker"><span>BREAKING:</span> {E(ticker)}</div>
<div class="cols"><div class="left"><h3>Categories</h3>{"<br>".join(f'<a href="/c/{w}">{w}</a>' for w in f.nav(10))}</div>
<div class="center"><h2 class="headline">{E(a.title)}</h2><div class="date">{a.date}</div>{ps(a.paragraphs)}</div>
<div class="right"><h3>Latest headlines</h3>{"".join(f'<div><a>{E(t)}</a></div>' for t, _ in f.teasers(6, a))}</div></div>
<div class="bottom">Copyright {E(a.source)}</div></body></html>"""


def substack(a, f):
    """A newsletter post with a subscribe widget and a footnote-style aside inside the body."""
    cut = max(1, len(a.paragraphs) // 2)
    return head(a) + f"""<body><div id="entry"><div class="main-menu"><a>{E(a.source)}</a><a>Subscribe</a><a>Sign in</a></div>
<div class="container"><div class="post-header"><h1 class="post-title">{E(a.title)}</h1><h3 class="subtitle">Notes from the week</h3><div class="post-meta">{E(a.author)} · {a.date}</div></div>
<div class="available-content"><div class="body markup" dir="auto">{ps(a.paragraphs[:cut])}
<div class="subscription-widget-wrap"><div class="subscription-widget"><p class="cta-caption">Thanks for reading! Subscribe for free to receive new posts.</p><form><input type="email"><button>Subscribe</button></form></div></div>
{ps(a.paragraphs[cut:])}</div></div>
<div class="post-footer"><div class="like-button">12 likes</div><div class="share">Share</div></div>
<div class="comments-page"><h2>Discussion</h2>{"".join(f'<div class="comment"><div class="comment-body"><p>{E(s)}</p></div></div>' for s in f.sentences(4, a))}</div></div></div></body></html>"""


def press_release(a, f):
    """A press-release page: skip link, picture credits, a long related-news list after."""
    return head(a) + f"""<body><a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas"><header role="banner"><div class="region-header"><ul class="menu">{links(f.nav())}</ul></div></header>
<main role="main"><a id="main-content"></a><div class="region-content"><div class="node node--type-news">
<h1 class="page-title"><span>{E(a.title)}</span></h1><div class="field--name-field-date">{a.date}</div>
<div class="field--name-field-image"><img src="/pic.jpg"><div class="caption">Picture: the delegation at the opening</div></div>
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary">{ps(a.paragraphs)}</div>
<div class="views-element-container"><h2>Related news</h2>{"".join(f'<div class="views-row"><a>{E(t)}</a><span>{a.date}</span></div>' for t, _ in f.teasers(6, a))}</div>
</div></div></main>{site_footer(a, f)}</div></body></html>"""


def bbc(a, f):
    """BBC-style: every paragraph in its own `data-component="text-block"`, image and
    link blocks between them, related stories after."""
    blocks = []
    for i, p in enumerate(a.paragraphs):
        blocks.append(f'<div data-component="text-block" class="ssrcss-11r1m41-RichTextComponentWrapper"><div class="ssrcss-7uxr49-RichTextContainer"><p class="ssrcss-1q0x1qg-Paragraph">{inline(p)}</p></div></div>')
        if i == 1:
            blocks.append('<div data-component="image-block"><figure><img src="/a.jpg"><figcaption>Image caption, The scene on Tuesday</figcaption></figure></div>')
    related = "".join(f'<li><a href="/r{i}"><span>{E(t)}</span></a><p class="promo-summary">{E(x)}</p></li>' for i, (t, x) in enumerate(f.teasers(4, a)))
    return head(a) + f"""<body><div id="orb-header"><nav>{links(f.nav())}</nav></div>
<main id="main-content"><article><header data-component="headline-block"><h1 id="main-heading">{E(a.title)}</h1></header>
<div data-component="byline-block"><span>By {E(a.author)}</span><span>Business reporter</span></div>
{"".join(blocks)}
<div data-component="links-block"><h2>Related topics</h2><ul>{links(["Economy", "Energy", "Transport"])}</ul></div></article>
<section data-component="related-stories"><h2>More on this story</h2><ul>{related}</ul></section></main>{site_footer(a, f)}</body></html>"""


def infinite_scroll(a, f):
    """The story, then the next story already loaded below it (full text, own headline)."""
    other = f.articles[(f.articles.index(a) + 1) % len(f.articles)]
    return head(a) + f"""<body><header><nav>{links(f.nav())}</nav></header>
<div class="article-stream"><article class="article" data-index="0"><h1>{E(a.title)}</h1><div class="article-body">{ps(a.paragraphs)}</div></article>
<div class="next-article-label">Next article</div>
<article class="article" data-index="1"><h2 class="article-title">{E(other.title)}</h2><div class="article-body">{ps(other.paragraphs[:2])}</div></article></div>
{site_footer(a, f)}</body></html>"""


def wire_story(a, f):
    """A wire story: dateline, author bio and an inline newsletter module inside the body."""
    cut = max(1, len(a.paragraphs) // 2)
    return head(a) + f"""<body><div class="Page-header"><ul class="Page-header-navigation">{links(f.nav())}</ul></div>
<div class="Page-content"><div class="Page-headline"><h1 class="Page-headline">{E(a.title)}</h1></div>
<div class="Page-byline"><span class="Page-byline-info">By {E(a.author)}</span><span class="Page-timestamp">Updated 3:14 PM GMT, May 2, 2024</span></div>
<div class="RichTextStoryBody RichTextBody">{ps(a.paragraphs[:cut])}
<div class="FreeformHtmlModule"><div class="newsletter-inline"><p>Get the morning briefing: the day's top stories, in your inbox every weekday before 7 a.m.</p><a href="/nl">Sign up</a></div></div>
{ps(a.paragraphs[cut:])}
<div class="Page-authorBio"><p>{E(a.author)} covers politics and the economy for {E(a.source)}, and has reported from twelve countries since joining in 2015.</p></div></div>
<div class="Page-below"><div class="RelatedStories"><h2>Related Stories</h2>{"".join(f'<div class="PagePromo"><a>{E(t)}</a><p>{E(x)}</p></div>' for t, x in f.teasers(3, a))}</div></div></div>
{site_footer(a, f)}</body></html>"""


def guardian(a, f):
    """Guardian-style: an inline "Related:" link paragraph and a figure in the body, a
    rich-link aside, tags and a "most viewed" list after."""
    cut = max(1, len(a.paragraphs) // 2)
    (t, _), = f.teasers(1, a)
    return head(a) + f"""<body><header data-component="nav2"><nav>{links(f.nav())}</nav></header>
<main id="maincontent"><div class="dcr-headline"><h1>{E(a.title)}</h1></div><div class="dcr-standfirst"><p>A standfirst that sums the story up in one sentence, as the site does.</p></div>
<div id="maincontent" class="article-body-commercial-selector article-body-viewer-selector dcr-1r94quw">{ps(a.paragraphs[:cut])}
<aside data-component="rich-link"><a href="/x">{E(t)}</a></aside>
<p><strong>Related: </strong><a href="/y">{E(t)}</a></p>
<figure><img src="/i.jpg"><figcaption>Photograph: Agency</figcaption></figure>
{ps(a.paragraphs[cut:])}</div>
<div class="submeta"><ul>{links(["Topics", "Transport", "Europe"])}</ul></div>
<div data-component="most-viewed"><h2>Most viewed</h2><ol>{"".join(f"<li><a>{E(t)}</a></li>" for t, _ in f.teasers(5, a))}</ol></div></main>
{site_footer(a, f)}</body></html>"""


LAYOUTS = [wordpress, chorus, breadcrumb_article, menu_body, elementor, nested_related, teasers_above,
           div_paragraphs, companion_columns, aspnet_form, table_layout, br_blog, live_blog, gallery,
           amp, paywall, json_ld_only, deep, body_fallback, substack, press_release, bbc,
           infinite_scroll, wire_story, guardian]


# ---------------------------------------------------------------- sources

def corpus_articles(root):
    """Our own articles in corpus/: a `Key: value` header, a blank line, title, paragraphs."""
    out = []
    for path in sorted(Path(root).rglob("*")):
        if path.suffix not in (".txt", ".md"):
            continue
        lines = path.read_text(encoding="utf-8").split("\n")
        meta = {}
        while lines and ":" in lines[0] and lines[0].split(":")[0].isalpha():
            k, v = lines.pop(0).split(":", 1)
            meta[k.lower()] = v.strip()
        blocks = [b.strip() for b in "\n".join(lines).split("\n\n") if b.strip()]
        if len(blocks) < 2:
            continue
        title = blocks[0].lstrip("# ").strip()
        paragraphs = [" ".join(b.split()) for b in blocks[1:]]
        lang = path.stem.rsplit("-", 1)[-1] if re.search(r"-(zh|ru|ar|ja)$", path.stem) else "en"
        out.append(Article(title, paragraphs, meta.get("date", "2024-05-02"), meta.get("author"),
                           meta.get("source", "The Daily Ledger"), lang))
    return out


def reuters_articles(root, count, rng):
    """Reuters-21578 stories of 120 words or more, paragraphs split at the wire's indents."""
    out = []
    for sgm in sorted(Path(root).glob("reut2-*.sgm")):
        raw = sgm.read_bytes().decode("latin-1")
        for doc in re.findall(r"<REUTERS.*?</REUTERS>", raw, re.S):
            title = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
            body = re.search(r"<BODY>(.*?)</BODY>", doc, re.S)
            if not title or not body:
                continue
            text = html.unescape(body.group(1)).replace("\x03", "").strip()
            text = re.sub(r"\s*Reuter\s*$", "", text)
            paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s{2,}", text) if p.strip()]
            if sum(len(p.split()) for p in paragraphs) >= 120 and len(paragraphs) >= 3:
                t = html.unescape(title.group(1)).strip().title()
                out.append(Article(t, paragraphs, source="Reuters"))
    rng.shuffle(out)
    return out[:count]


def heavy(page, rng):
    """The weight of a real page around the same story: a stylesheet, an app-state
    blob and analytics in the head, an SVG sprite and a mega-menu in the body
    (about 100 KB, as news pages commonly are)."""
    css = "\n".join(f".c{i}{{margin:{i % 7}px;padding:{i % 5}px;color:#{i * 9973 % 0xffffff:06x}}}" for i in range(400))
    state = json.dumps({"items": [{"id": i, "title": f"Story {i}", "tags": ["news", "world"], "score": rng.random()} for i in range(500)]})
    sprite = "".join(f'<symbol id="i{i}" viewBox="0 0 24 24"><path d="M{i % 24} 0L24 {i % 24}L0 24Z"/></symbol>' for i in range(150))
    menu = "".join(f'<li class="mega-menu__item"><a href="/section/{i}">Section {i}</a><ul>' + "".join(f'<li><a href="/section/{i}/{j}">Topic {j}</a></li>' for j in range(8)) + "</ul></li>" for i in range(40))
    page = page.replace("</head>", f"<style>{css}</style><script>window.__STATE__={state}</script><script>(function(){{var a=1;}})();</script></head>", 1)
    return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + f'<svg style="display:none">{sprite}</svg><nav class="mega-menu" aria-hidden="true"><ul>{menu}</ul></nav>', page, count=1)


def write(out, articles, rng, pool, weigh=False):
    out.mkdir(parents=True, exist_ok=True)
    furniture = Furniture(pool, rng)
    for i, a in enumerate(articles):
        layout = LAYOUTS[i % len(LAYOUTS)]
        name = f"{i:03d}-{layout.__name__}"
        page = layout(a, furniture)
        if weigh:
            page = heavy(page, rng)
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        (out / f"{name}.txt").write_text(
            "\n".join(p[3:] if p.startswith("## ") else p for p in a.paragraphs) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", action="append", help="a folder of our own articles (repeatable)")
    ap.add_argument("--reuters")
    ap.add_argument("--count", type=int, default=210)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", required=True)
    ap.add_argument("--heavy", action="store_true", help="add a real page's weight of scripts, styles and menus")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    if args.corpus:
        articles = [a for root in args.corpus for a in corpus_articles(root)]
    else:
        articles = reuters_articles(args.reuters, args.count, rng)
    write(Path(args.out), articles, rng, articles, args.heavy)


if __name__ == "__main__":
    main()
