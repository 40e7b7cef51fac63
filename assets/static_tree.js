/* Draws dashboard.components.static_tree.StaticTree: a tree of plain elements ({t: tag, p: props, c: children},
   text as strings) as React elements, with no Dash wrapper per element. Why, in static_tree.py. */
(() => {
  const React = window.React;
  const draw = (node) => {
    if (node === null || node === undefined || typeof node === 'boolean') return null;
    if (typeof node !== 'object') return node;
    if (Array.isArray(node)) return React.createElement(React.Fragment, null, ...node.map(draw));
    return React.createElement(node.t, node.p || null, ...(node.c || []).map(draw));
  };
  const StaticTree = ({tree}) => draw(tree);
  window.dashboard_static = {StaticTree};
})();
