// Anything with a global id: a refetchable fragment on the Node interface itself.
export const fragment = graphql`
  fragment NodeSummary_node on Node @refetchable(queryName: "NodeSummaryRefetchQuery") {
    id
    ... on Meeting {
      title
    }
    ... on WorkingGroup {
      name
    }
    ... on Person {
      name
    }
  }
`;
