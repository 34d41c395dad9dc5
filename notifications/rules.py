"""Who keeps the consumer messages: the office's staff and system administrators,
in the admin. The texts (templates) and opt-outs are the office's; the sent messages
carry phone numbers and e-mail addresses, so only system administrators read them."""

import rules

from institutions.access import is_regulator, is_sysadmin

for _action in ("view", "change"):
    rules.add_perm(f"notifications.{_action}_messagetemplate", is_sysadmin | is_regulator)
rules.add_perm("notifications.add_messagetemplate", is_sysadmin)
rules.add_perm("notifications.delete_messagetemplate", is_sysadmin)

rules.add_perm("notifications.view_consumermessage", is_sysadmin)

for _action in ("view", "add", "delete"):
    rules.add_perm(f"notifications.{_action}_consumeroptout", is_sysadmin | is_regulator)
