"""The program catalogue, what households receive and need, eligibility gaps and ranking."""
