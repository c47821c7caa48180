"""Elections (Pemilu, Pilkada), their stage calendar, and the regions' support status per stage."""
