"""What each region must deliver per period, and what it delivered, on time, rolled up the region tree."""
