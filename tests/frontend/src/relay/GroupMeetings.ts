// A group page's meetings, paged both ways (Relay's usePaginationFragment with loadNext and
// loadPrevious): a refetchable fragment on an interface that implements Node, with @connection
// on WorkingGroup.meetings, whose `first` and `last` are nullable (Relay refuses `Int!` there).
export const fragment = graphql`
  fragment GroupMeetings_group on WorkingGroup
  @argumentDefinitions(
    first: { type: "Int", defaultValue: 10 }
    after: { type: "String" }
    last: { type: "Int" }
    before: { type: "String" }
  )
  @refetchable(queryName: "GroupMeetingsPaginationQuery") {
    name
    meetings(first: $first, after: $after, last: $last, before: $before)
      @connection(key: "GroupMeetings_meetings") {
      totalCount
      edges {
        node {
          id
          ...MeetingCard_meeting
        }
      }
    }
  }
`;

export const query = graphql`
  query GroupMeetingsQuery($slug: String!) {
    workingGroup(slug: $slug) {
      ...GroupMeetings_group
    }
  }
`;
