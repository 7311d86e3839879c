-- Resolves the case with the agent's resolution; a case already resolved stays as it was.
update crm_case set status = 'resolved', resolution = :#resolution, resolved_at = current_timestamp
where id = :#caseId and status <> 'resolved'
