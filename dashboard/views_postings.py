from django.shortcuts import render

from dashboard.scope import staff_required
from postings.models import Posting


@staff_required
def posting_list(request):
    postings = Posting.objects.for_user(request.user).select_related("team")
    return render(request, "dashboard/posting_list.html", {"postings": postings})
