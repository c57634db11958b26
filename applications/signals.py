from django.dispatch import Signal

# Sent inside the erasure transaction with `applications`, the list of the erased person's
# applications, so other apps (notes in the dashboard) can drop what they hold about them.
applications_erased = Signal()

# Sent inside the merge transaction with `keep` and `merged` (candidates), so other apps (the
# tags of sourcing) can carry what they hold about the merged record over to the kept one.
candidates_merged = Signal()
