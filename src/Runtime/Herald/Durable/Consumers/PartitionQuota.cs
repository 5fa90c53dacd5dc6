namespace Herald.Durable;

/// <summary>
/// How many partitions each member of a consumer group should own: the partitions split as evenly as the member count
/// allows, the members with the lowest ids (ordinal) taking one more when it does not divide. Every member computes
/// the same answer from the same member list, so the group balances itself without a coordinator: a member above its
/// quota releases partitions (after committing), a member below it takes free ones. Leases, not this computation,
/// keep two members from owning one partition while their views of the group differ.
/// </summary>
internal static class PartitionQuota
{
    /// <summary>The quota of <paramref name="member"/> among <paramref name="members"/> (sorted by id); 0 when it is not one.</summary>
    public static int Of(string member, IReadOnlyList<GroupMember> members, int partitions)
    {
        var index = -1;
        for (var i = 0; i < members.Count; i++)
        {
            if (string.Equals(members[i].Member, member, StringComparison.Ordinal))
            {
                index = i;
                break;
            }
        }
        if (index < 0)
            return 0;
        return (partitions / members.Count) + (index < partitions % members.Count ? 1 : 0);
    }
}
