"""Loops in a parent relation (unit → parent unit, employee → supervisor), and depth order."""


def find_loops(parent_of):
    """Every loop in ``parent_of`` (node → parent or None), each as its nodes in chain order.

    Nodes missing from the mapping count as roots. Runs in linear time.
    """
    state = {}  # node → 1 while on the current walk, 2 when finished
    loops = []
    for start in parent_of:
        if start in state:
            continue
        path, node = [], start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            loops.append(path[path.index(node):])
        for visited in path:
            state[visited] = 2
    return loops


def depth_levels(nodes, parent_of):
    """Group ``nodes`` so that each node comes after its parent when that parent is in ``nodes``.

    ``parent_of`` must be loop-free (check with ``find_loops`` first). Returns a list of lists:
    level 0 holds nodes whose parent is outside ``nodes``, level 1 their children, and so on.
    """
    order = list(dict.fromkeys(nodes))
    nodes = set(order)
    depth = {}

    def depth_of(node):
        chain = []
        while node in nodes and node not in depth:
            chain.append(node)
            node = parent_of.get(node)
        base = depth.get(node, -1) if node in nodes else -1
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item] = base + offset
        return depth

    for node in order:
        depth_of(node)
    levels = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for node in order:
        levels[depth[node]].append(node)
    return levels
