"""Casework: the SOP as a state machine, cases, referrals, the welfare register."""
