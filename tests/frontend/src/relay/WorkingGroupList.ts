// The list of groups: a root connection paged forwards with @connection on Query.workingGroups.
// `count` has no default: a null count asks for the server's page size, which Relay allows only
// where the argument is a nullable Int (it refuses an `Int` variable for `first: Int! = 20`).
export const fragment = graphql`
  fragment WorkingGroupList_query on Query
  @argumentDefinitions(count: { type: "Int" }, cursor: { type: "String" })
  @refetchable(queryName: "WorkingGroupListPaginationQuery") {
    workingGroups(first: $count, after: $cursor)
      @connection(key: "WorkingGroupList_workingGroups") {
      edges {
        node {
          id
          name
          theme
        }
      }
    }
  }
`;

export const query = graphql`
  query WorkingGroupListQuery {
    ...WorkingGroupList_query
  }
`;
