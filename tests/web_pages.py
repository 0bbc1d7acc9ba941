"""Web pages and feeds built at test time from article files, with real-world page furniture.

A page carries what news sites put around an article: a navigation menu, a cookie banner, a byline, a
"lire aussi" box of related links, share buttons, comments (which name companies too) and a footer;
in its head a canonical link, Open Graph site name, author and publication date. Three site layouts
differ in where the headline and the furniture sit.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from extractors.documents import read_document

_LAYOUTS = ("classic", "magazine", "blog")


def article_parts(path: Path | str) -> tuple[str, list[str], str | None]:
    """An article file's headline, paragraphs (its lines once its own furniture is blanked) and date."""
    document = read_document(path)
    lines = [line.strip() for line in document.body.split("\n") if line.strip()]
    if lines and lines[0] == document.title:
        lines = lines[1:]
    return document.title, lines, document.date


def article_page(
    title: str,
    paragraphs: list[str],
    *,
    url: str,
    date: str | None = "2020-06-12",
    site: str = "Le Journal Tech",
    author: str = "Claire Martin",
    layout: str = "classic",
    lang: str = "fr",
) -> str:
    """An HTML news page around ``paragraphs``, with menus, a cookie banner, related links and comments."""
    esc = html.escape
    body = "\n".join(f"    <p>{esc(p)}</p>" for p in paragraphs)
    stamp = f"{date}T08:30:00+02:00" if date and len(date) == 10 else date
    meta_date = f'<meta property="article:published_time" content="{stamp}">' if date else ""
    byline = (f'<p class="byline">Par <a rel="author" href="/auteurs/cm">{esc(author)}</a>, '
              f'publié le <time datetime="{stamp}">{esc(date)}</time></p>') if date else ""
    headline = f"<h1 class=\"entry-title\">{esc(title)}</h1>"
    article = f"""<article class="post">
    {headline if layout != "magazine" else ""}
    {byline}
{body}
    <div class="share"><a href="#">Partager sur Facebook</a> <a href="#">Tweeter</a> <a href="#">Imprimer</a></div>
  </article>"""
    hero = f'<div class="hero">{headline}</div>' if layout == "magazine" else ""
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <title>{esc(title)} | {esc(site)}</title>
  <link rel="canonical" href="{esc(url)}">
  <meta property="og:site_name" content="{esc(site)}">
  <meta property="og:type" content="article">
  <meta name="author" content="{esc(author)}">
  {meta_date}
</head>
<body>
<div id="cookie-banner" class="cookie-consent" role="dialog">
  <p>Nous utilisons des cookies pour améliorer votre expérience et mesurer l'audience. En poursuivant votre
  navigation, vous acceptez leur utilisation.</p><button>Tout accepter</button><button>Paramétrer</button>
</div>
<header class="site-header"><a class="logo" href="/">{esc(site)}</a>
  <nav class="menu"><ul><li><a href="/">Accueil</a></li><li><a href="/tech">Tech</a></li>
  <li><a href="/economie">Économie</a></li><li><a href="/politique">Politique</a></li>
  <li><a href="/abonnement">S'abonner</a></li></ul></nav>
</header>
<main>
  {hero}
  {article}
  <aside class="related"><h2>À lire aussi</h2><ul>
    <li><a href="/tech/google-armee">Google renonce à vendre sa reconnaissance faciale à l'armée</a></li>
    <li><a href="/tech/clearview">Clearview AI condamnée à cesser ses ventes aux entreprises privées</a></li>
  </ul></aside>
  <section id="comments" class="comments"><h2>3 commentaires</h2>
    <div class="comment"><p class="comment-author">Jean</p><p>Et Google alors ? Google a annoncé un
    moratoire sur la reconnaissance faciale il y a longtemps, non ?</p></div>
    <div class="comment"><p class="comment-author">Awa</p><p>Clearview AI a suspendu ses ventes à la
    police canadienne, personne n'en parle.</p></div>
  </section>
</main>
<footer><ul><li><a href="/mentions">Mentions légales</a></li><li><a href="/contact">Contact</a></li></ul>
  <p>© 2024 {esc(site)}. Tous droits réservés.</p></footer>
</body>
</html>
"""


def page_from_file(path: Path | str, *, url: str, date: str | None = None, **options) -> str:
    """The page of an article file (its date, or ``date``, as the publication date)."""
    title, paragraphs, file_date = article_parts(path)
    return article_page(title, paragraphs, url=url, date=date or _full(file_date), **options)


def _full(date: str | None) -> str | None:
    return date if date is None or len(date) == 10 else f"{date}-15"


def rss(items: list[dict], *, title: str = "Le Journal Tech", link: str = "http://127.0.0.1/") -> str:
    """An RSS 2.0 feed; each item has ``link`` and ``title``, optionally ``date`` (YYYY-MM-DD) and ``guid``."""
    esc = html.escape
    entries = []
    for item in items:
        when = ""
        if item.get("date"):
            moment = datetime.fromisoformat(item["date"]).replace(hour=8, tzinfo=UTC)
            when = f"<pubDate>{format_datetime(moment)}</pubDate>"
        entries.append(f"""  <item><title>{esc(item['title'])}</title><link>{esc(item['link'])}</link>
    <guid>{esc(item.get('guid', item['link']))}</guid>{when}
    <description>{esc(item.get('summary', item['title']))}</description></item>""")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{esc(title)}</title><link>{esc(link)}</link>
  <description>Actualités</description><language>fr</language>
{chr(10).join(entries)}
</channel></rss>
"""


def atom(items: list[dict], *, title: str = "Le Blog Tech", link: str = "http://127.0.0.1/") -> str:
    """An Atom 1.0 feed of the same items."""
    esc = html.escape
    entries = "\n".join(
        f"""  <entry><title>{esc(item['title'])}</title><link href="{esc(item['link'])}"/>
    <id>{esc(item.get('guid', item['link']))}</id>
    <updated>{item.get('date', '2024-01-01')}T08:00:00Z</updated></entry>"""
        for item in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>{esc(title)}</title><link href="{esc(link)}"/>
  <id>{esc(link)}</id><updated>2024-01-01T08:00:00Z</updated>
{entries}
</feed>
"""
