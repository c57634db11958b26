from django.dispatch import Signal

# Sent inside the erasure transaction with `applications`, the list of the erased person's
# applications, so other apps (notes in the dashboard) can drop what they hold about them.
applications_erased = Signal()
