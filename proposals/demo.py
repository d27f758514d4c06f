def load_proposals_demo(communities, users):
    """Placeholder until the demo lands."""
