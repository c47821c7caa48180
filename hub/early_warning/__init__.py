"""Early warning: regions whose incidents in the last days stand abnormally high against their own trailing
baseline, flagged on the dashboard and raised once per region and window as an event."""
