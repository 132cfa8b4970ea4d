package dev.baton.hub.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Deployed definitions, every version kept. */
@Repository
public class DefinitionRepository {

    private final JdbcTemplate jdbc;

    public DefinitionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** @throws org.springframework.dao.DuplicateKeyException when another node deployed this version first */
    public void insert(DefinitionRow r) {
        jdbc.update("INSERT INTO baton_definition (id, version, name, owner, sla_ms, source_format, source, source_hash,"
                + " deployed_at, deployed_by) VALUES (?,?,?,?,?,?,?,?,?,?)", r.id(), r.version(), r.name(), r.owner(),
                r.slaMillis(), r.sourceFormat(), r.source(), r.sourceHash(), Jdbc.ts(r.deployedAt()), r.deployedBy());
    }

    /** Removes a version that failed to compile before anything could run on it. */
    public void delete(String id, int version) {
        jdbc.update("DELETE FROM baton_definition WHERE id = ? AND version = ?", id, version);
    }

    public Optional<DefinitionRow> latest(String id) {
        return jdbc.query("SELECT * FROM baton_definition WHERE id = ? ORDER BY version DESC LIMIT 1",
                (rs, i) -> map(rs), id).stream().findFirst();
    }

    public Optional<DefinitionRow> find(String id, int version) {
        return jdbc.query("SELECT * FROM baton_definition WHERE id = ? AND version = ?", (rs, i) -> map(rs), id, version)
                .stream().findFirst();
    }

    /** Every version of every definition, newest version first within each id. */
    public List<DefinitionRow> all() {
        return jdbc.query("SELECT * FROM baton_definition ORDER BY id, version DESC", (rs, i) -> map(rs));
    }

    private static DefinitionRow map(ResultSet rs) throws SQLException {
        // not getLong + wasNull: the arguments read other columns before wasNull would be asked
        Long sla = rs.getObject("sla_ms", Long.class);
        return new DefinitionRow(rs.getString("id"), rs.getInt("version"), rs.getString("name"), rs.getString("owner"),
                sla, rs.getString("source_format"), rs.getString("source"),
                rs.getString("source_hash"), Jdbc.instant(rs, "deployed_at"), rs.getString("deployed_by"));
    }
}
