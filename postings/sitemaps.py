"""The sitemap of the careers site: its list of roles and every open posting."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from postings.models import Posting


class _SiteUrlSitemap(Sitemap):
    """Addresses on SITE_URL, the site's canonical address, whatever Host the request named."""

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme


class CareersSitemap(_SiteUrlSitemap):
    def items(self):
        return ["postings:list"]

    def location(self, item):
        return reverse(item)


class PostingSitemap(_SiteUrlSitemap):
    def items(self):
        return Posting.objects.open().order_by("pk").only("slug", "updated_at")

    def lastmod(self, posting):
        return posting.updated_at


SITEMAPS = {"careers": CareersSitemap, "postings": PostingSitemap}
