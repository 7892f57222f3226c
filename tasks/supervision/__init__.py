"""催办 and 督办单 by hand (issue #9): the office urges late units and issues numbered
supervision orders that the unit answers and the office closes or sends back."""
