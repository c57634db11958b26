from django.shortcuts import render

from dashboard.scope import staff_required
from postings.models import Posting


@staff_required
def home(request):
    postings = Posting.objects.for_user(request.user).filter(status=Posting.Status.OPEN)
    return render(request, "dashboard/home.html", {"postings": postings})
