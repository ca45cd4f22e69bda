"""theme coding: codebook versions, codes, trained coders

Revision ID: c11fbbf8c232
Revises: 1aabf59b3710
Create Date: 2026-11-25 14:50:20.067947

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c11fbbf8c232'
down_revision = '1aabf59b3710'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('codebook_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=16), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=True),
    sa.CheckConstraint('version >= 1', name=op.f('ck_codebook_version_version_positive')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_codebook_version')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_codebook_version_content_hash')),
    sa.UniqueConstraint('name', 'version', name='uq_codebook_version_name_version')
    )
    op.create_table('coder_model',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('codebook_version_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('trained_on_answers', sa.Integer(), nullable=False),
    sa.Column('trained_on', sa.Date(), nullable=False),
    sa.Column('auto_apply_threshold', sa.Float(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.CheckConstraint('auto_apply_threshold >= 0.5 AND auto_apply_threshold <= 1', name=op.f('ck_coder_model_threshold_range')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_coder_model_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['codebook_version_id'], ['codebook_version.id'], name=op.f('fk_coder_model_codebook_version_id_codebook_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coder_model')),
    sa.UniqueConstraint('campaign_id', 'codebook_version_id', 'version', name='uq_coder_model_campaign_version')
    )
    with op.batch_alter_table('coder_model', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coder_model_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coder_model_codebook_version_id'), ['codebook_version_id'], unique=False)

    op.create_table('theme_code',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.String(length=32), nullable=False),
    sa.Column('question_key', sa.String(length=80), nullable=False),
    sa.Column('theme_key', sa.String(length=80), nullable=False),
    sa.Column('codebook_version_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('model_version', sa.Integer(), nullable=True),
    sa.Column('reviewer_id', sa.Integer(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.CheckConstraint("source IN ('rule', 'model', 'human')", name=op.f('ck_theme_code_source')),
    sa.CheckConstraint("status IN ('applied', 'suggested', 'accepted', 'rejected', 'added')", name=op.f('ck_theme_code_status')),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_theme_code_confidence_range')),
    sa.ForeignKeyConstraint(['codebook_version_id'], ['codebook_version.id'], name=op.f('fk_theme_code_codebook_version_id_codebook_version')),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_theme_code_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_code'))
    )
    with op.batch_alter_table('theme_code', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_code_codebook_version_id'), ['codebook_version_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_code_response_id'), ['response_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_theme_code_theme_key'), ['theme_key'], unique=False)


def downgrade():
    with op.batch_alter_table('theme_code', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_code_theme_key'))
        batch_op.drop_index(batch_op.f('ix_theme_code_response_id'))
        batch_op.drop_index(batch_op.f('ix_theme_code_codebook_version_id'))

    op.drop_table('theme_code')
    with op.batch_alter_table('coder_model', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coder_model_codebook_version_id'))
        batch_op.drop_index(batch_op.f('ix_coder_model_campaign_id'))

    op.drop_table('coder_model')
    op.drop_table('codebook_version')
