"""The multi-node drill (`make drill`, issue 13): throwaway clusters on loopback, a steady load, SIGKILLs of
one node of each kind while it runs, and proof that nothing acknowledged was lost (see __main__)."""
