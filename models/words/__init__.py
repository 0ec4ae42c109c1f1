"""What Cutline says: the wording of cut lines, tiers, conditions, funding and plans, said once for every layer."""
