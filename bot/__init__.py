"""After-sales assistant domain: orders, the seller's policy, cases and evidence (no Rasa imports)."""
