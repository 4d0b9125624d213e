// One meeting, refetched through Query.node (a refetchable fragment on a type implementing Node),
// and a registration whose payload spreads the same fragment, so Relay's store updates the card.
export const fragment = graphql`
  fragment MeetingCard_meeting on Meeting
  @refetchable(queryName: "MeetingCardRefetchQuery") {
    id
    title
    startsAt
    capacity
    registeredCount
    remainingPlaces
  }
`;

export const mutation = graphql`
  mutation MeetingCardRegisterMutation($meeting: ID!, $person: ID!) {
    registrationCreate(input: { meetingId: $meeting, personId: $person }) {
      registration {
        id
        status
        meeting {
          ...MeetingCard_meeting
        }
      }
      userErrors {
        code
        message
        field
      }
    }
  }
`;
