"""Theme coding for free-text answers: a versioned codebook, rules, a learned coder and a review loop.

No Flask here: the staff workspace calls these functions and stores what they return.
"""
