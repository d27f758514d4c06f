"""Who may make, read and submit reports (rules predicates).

A community's social workers make its reports and submit them; its fund
committee may make and read them. A department's viewers read what was
submitted to their department, a donor program's officers what was submitted
to the program's office and the program's own reports; nothing else exists
for them (the views answer 404).
"""

import rules

from fundapp.permissions import community_of, is_fund_committee, is_social_worker
from projects.permissions import is_money_reader

from .models import DepartmentViewer, ProgramOfficer, ReportVersion, Submission


def subject_community(version: ReportVersion):
    """The community a version is about (None for a program report)."""
    report = version.report
    return report.fund.community if report.fund_id else None


@rules.predicate
def is_community_staff_of_version(user, version) -> bool:
    community = subject_community(version)
    return community is not None and (
        is_social_worker(user, community) or is_fund_committee(user, community)
    )


@rules.predicate
def is_social_worker_of_version(user, version) -> bool:
    community = subject_community(version)
    return community is not None and is_social_worker(user, community)


@rules.predicate
def is_addressee_of_version(user, version) -> bool:
    """A viewer of a department the version was submitted to, or an officer
    of a program whose office it was submitted to."""
    if not getattr(user, "is_authenticated", False):
        return False
    submitted_to = Submission.objects.filter(version=version)
    return (
        submitted_to.filter(department__viewers__user=user).exists()
        or submitted_to.filter(department__programs__officers__user=user).exists()
    )


@rules.predicate
def is_officer_of_program_report(user, version) -> bool:
    report = version.report
    return (
        report.program_id is not None
        and ProgramOfficer.objects.filter(
            user=user, program_id=report.program_id
        ).exists()
    )


@rules.predicate
def is_program_officer(user, program) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and ProgramOfficer.objects.filter(user=user, program=program).exists()
    )


@rules.predicate
def is_department_viewer(user, department) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and DepartmentViewer.objects.filter(user=user, department=department).exists()
    )


rules.add_perm("reports.make_report", is_social_worker | is_fund_committee)
rules.add_perm("reports.submit_report", is_social_worker_of_version)
rules.add_perm(
    "reports.view_version",
    is_community_staff_of_version
    | is_addressee_of_version
    | is_officer_of_program_report,
)
rules.add_perm("reports.make_program_report", is_program_officer)
rules.add_perm("reports.view_department", is_department_viewer)


@rules.predicate
def is_viewer_of_supervising_department(user, project) -> bool:
    """A viewer of a department that supervises the project's community."""
    return (
        getattr(user, "is_authenticated", False)
        and DepartmentViewer.objects.filter(
            user=user, department__communities=project.community_id
        ).exists()
    )


# A project's receipts and bank references are for the people who keep its
# money straight or check it, and for the departments that supervise its
# community (issue 10 §6). Departments stand a floor above projects, so this
# app widens the rule projects declares.
rules.set_perm(
    "projects.view_receipts", is_money_reader | is_viewer_of_supervising_department
)


@rules.predicate
def is_viewer_of_supervising_department_of(user, obj) -> bool:
    """A viewer of a department that supervises the object's community."""
    community = community_of(obj)
    return (
        community is not None
        and getattr(user, "is_authenticated", False)
        and DepartmentViewer.objects.filter(
            user=user, department__communities=community
        ).exists()
    )


# The audit page of a community (its history of changes and its members'
# logins): its social workers, and the departments that supervise it.
rules.add_perm(
    "reports.view_audit", is_social_worker | is_viewer_of_supervising_department_of
)
# The network address a member logged in from: the community's social workers
# (who unlock paused logins), not the departments' viewers.
rules.add_perm("reports.see_login_addresses", is_social_worker)
