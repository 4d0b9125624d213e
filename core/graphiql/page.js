// GraphiQL with the explorer plugin, started from this server's own files (core/graphiql).
// React, ReactDOM, GraphiQL and GraphiQLPluginExplorer are the globals of the UMD builds that the
// page loads before this script; nothing is fetched from another host.
(function () {
  "use strict";

  var DEFAULT_QUERY = [
    "# GraphiQL, served by ogp-working-groups itself: it works offline.",
    "# Run a query: Ctrl-Enter or the play button.",
    "# Build one by clicking: the Explorer, in the left bar.",
    "# Signed-in requests: in the Headers tab below, put",
    '#   {"Authorization": "Bearer ogpwg_..."}',
    "# (`ogp-wg demo` prints a token per demo role).",
    "",
    "query WorkingGroups {",
    "  workingGroups(first: 5) {",
    "    nodes {",
    "      id",
    "      name",
    "      status",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");

  // The endpoint that served this page: /graphql here, or wherever a proxy mounts it.
  var fetcher = GraphiQL.createFetcher({
    url: window.location.origin + window.location.pathname,
  });
  var explorer = GraphiQLPluginExplorer.explorerPlugin();

  function App() {
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultQuery: DEFAULT_QUERY,
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      // Headers hold bearer tokens: GraphiQL's own default keeps them out of localStorage.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(App));
})();
