"""包保责任: the accountable persons of a major hazard source and the checks each duty requires."""
