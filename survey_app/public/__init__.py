"""Published reports for anyone, without sign-in: the report, its downloads and "You said, we did"."""
