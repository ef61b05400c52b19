"""In-app notices (the bell), members' email choices, and SLA escalation of overdue cases."""
