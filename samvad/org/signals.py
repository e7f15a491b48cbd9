"""What `org` tells the apps above it, the way Django's `user_logged_in` does: the security log
(accounts_security) records both, with the request's address, without `org` knowing of it."""

from django.dispatch import Signal

# Sent with request= and invitation=, once the invitation's e-mail has gone.
invitation_sent = Signal()
# Sent with request=, invitation= and user= (the account just made from it).
invitation_accepted = Signal()
