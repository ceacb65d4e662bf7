"""Running the network: `masthead serve` (web server and worker together) and `masthead worker`.
On top of every other app: these commands tie them together, and nothing imports them."""
